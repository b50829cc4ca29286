package dev.roboflare.agent.delta;

import dev.roboflare.agent.download.DownloadInterruptedException;
import dev.roboflare.agent.systemd.SdNotify;
import dev.roboflare.protocol.ChunkIndex;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.function.Supplier;
import java.util.zip.GZIPInputStream;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * The control plane's side of a delta download, through the artifact's signed chunks_url: the chunk index (GET) and
 * batches of chunks (POST, one hash a line; the answer is each chunk as a 4-byte length and its bytes, gzipped).
 * Counts the bytes that crossed the link (bodies, status lines and headers). A network error or an HTTP error is a {@link DownloadInterruptedException},
 * retried like a plain download; only a missing index (404) is {@link NoIndex}.
 */
final class ChunkSource {
    private final Supplier<OkHttpClient> http;
    private long wireBytes;

    ChunkSource(Supplier<OkHttpClient> http) {
        this.http = http;
    }

    /** The control plane has no index for this artifact: download it whole. */
    static final class NoIndex extends Exception {
        NoIndex(String message) {
            super(message, null, false, false);
        }
    }

    /** A fetched index and its bytes as served (kept in the cache as they are). */
    record Fetched(ChunkIndex index, byte[] encoded) {
    }

    /** What the batch delivered for one chunk: its bytes, or null when the frame was not the indexed size. */
    interface Receiver {
        void chunk(ChunkIndex.Chunk chunk, byte[] data, int length) throws IOException;
    }

    long wireBytes() {
        return wireBytes;
    }

    /** The index; throws {@link IOException} (with the reason) when what arrived is not a valid index. */
    Fetched index(String chunksUrl) throws DownloadInterruptedException, NoIndex, IOException {
        Request req = new Request.Builder().url(chunksUrl).get().build();
        byte[] bytes;
        try (Response resp = call(req)) {
            if (resp.code() == 404) {
                throw new NoIndex("the control plane has no chunk index for this artifact");
            }
            ok(resp, "chunk index");
            try {
                bytes = resp.body().bytes();
            } catch (IOException e) {
                throw new DownloadInterruptedException("connection lost while reading the chunk index: "
                        + e.getMessage(), 0);
            }
        }
        wireBytes += bytes.length;
        return new Fetched(ChunkIndex.decode(new ByteArrayInputStream(bytes)), bytes);
    }

    /** Fetches {@code batch} in one request; every chunk goes to {@code receiver}, checked or not. */
    void fetch(String chunksUrl, List<ChunkIndex.Chunk> batch, int maxSize, Receiver receiver)
            throws DownloadInterruptedException, IOException {
        StringBuilder body = new StringBuilder(batch.size() * 65);
        batch.forEach(c -> body.append(c.sha256()).append('\n'));
        Request req = new Request.Builder().url(chunksUrl).header("Accept-Encoding", "gzip")
                .post(RequestBody.create(body.toString(), MediaType.get("text/plain"))).build();
        try (Response resp = call(req)) {
            ok(resp, "chunk batch");
            Counting counted = new Counting(resp.body().byteStream());
            boolean gzip = "gzip".equalsIgnoreCase(resp.header("Content-Encoding"));
            byte[] buf = new byte[maxSize];
            try (DataInputStream in = new DataInputStream(gzip ? new GZIPInputStream(counted, 1 << 16) : counted)) {
                for (ChunkIndex.Chunk c : batch) {
                    int length = in.readInt();
                    if (length != c.size() || length > maxSize) {
                        // not the indexed chunk: skip what fits so the next frame lines up, report it as bad
                        if (length < 0 || length > maxSize) {
                            throw new DownloadInterruptedException("the chunk batch sent a " + length
                                    + "-byte frame for chunk " + c.sha256() + "; starting the batch over", 0);
                        }
                        in.readFully(buf, 0, length);
                        receiver.chunk(c, null, 0);
                        continue;
                    }
                    in.readFully(buf, 0, length);
                    SdNotify.current().kick();
                    receiver.chunk(c, buf, length);
                }
            } catch (EOFException e) {
                throw new DownloadInterruptedException("the chunk batch ended early (" + counted.count
                        + " bytes arrived); fetching the rest again", 0);
            } catch (IOException e) {
                if (e instanceof ChunkWriteException w) {
                    throw w.getCause();
                }
                throw new DownloadInterruptedException("connection lost during a chunk batch: " + e.getMessage(), 0);
            } finally {
                wireBytes += counted.count;
            }
        }
    }

    /** A local failure to store a received chunk: not a network problem, never retried as one. */
    static final class ChunkWriteException extends IOException {
        ChunkWriteException(IOException cause) {
            super(cause.getMessage(), cause);
        }

        @Override
        public synchronized IOException getCause() {
            return (IOException) super.getCause();
        }
    }

    private Response call(Request req) throws DownloadInterruptedException {
        try {
            Response resp = http.get().newCall(req).execute();
            // the status line and headers crossed the link too (HTTP/1.1 size; a few hundred bytes a request)
            wireBytes += resp.protocol().toString().length() + 6 + resp.message().length() + 2
                    + resp.headers().byteCount() + 2;
            return resp;
        } catch (IOException e) {
            okhttp3.HttpUrl u = req.url();
            throw new DownloadInterruptedException("cannot reach " + u.host() + ":" + u.port() + ": "
                    + e.getMessage(), 0);
        }
    }

    private static void ok(Response resp, String what) throws DownloadInterruptedException {
        if (resp.code() != 200) {
            throw new DownloadInterruptedException(what + " answered HTTP " + resp.code(), resp.code());
        }
    }

    private static final class Counting extends FilterInputStream {
        long count;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}
