package dev.roboflare.cli.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import okio.BufferedSink;

/** A file streamed as a request body (never held in memory), reporting bytes sent as it goes. */
public final class ProgressBody extends RequestBody {
    /** Called with (bytes sent so far, total bytes) after each chunk, and once at the end. */
    public interface Listener {
        void sent(long sent, long total);
    }

    private static final MediaType OCTETS = MediaType.get("application/octet-stream");
    private final Path file;
    private final long size;
    private final Listener listener;

    ProgressBody(Path file, long size, Listener listener) {
        this.file = file;
        this.size = size;
        this.listener = listener;
    }

    @Override
    public MediaType contentType() {
        return OCTETS;
    }

    @Override
    public long contentLength() {
        return size;
    }

    @Override
    public void writeTo(BufferedSink sink) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long sent = 0;
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                sink.write(buffer, 0, n);
                sent += n;
                listener.sent(sent, size);
            }
        }
        sink.flush();
        listener.sent(sent, size);
    }
}
