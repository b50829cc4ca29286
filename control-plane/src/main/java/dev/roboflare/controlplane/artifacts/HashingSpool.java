package dev.roboflare.controlplane.artifacts;

import dev.roboflare.protocol.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;

/**
 * An upload written to a temp file while it is hashed: both stores learn the blob's SHA-256 (its name) only at the
 * end of the stream, so the bytes wait in {@code dir} until then. Closing deletes the file unless it was moved.
 */
record HashingSpool(Path file, String sha256, long size) implements AutoCloseable {
    private static final int BUFFER = 64 * 1024;

    /** {@code durable}: fsync before returning (the local store renames the file into place as the blob). */
    static HashingSpool of(InputStream in, Path dir, boolean durable) throws IOException {
        Path tmp = Files.createTempFile(dir, "upload-", ".part");
        try {
            MessageDigest digest = Sha256.newDigest();
            long size = 0;
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                byte[] buf = new byte[BUFFER];
                for (int n; (n = in.read(buf)) != -1; ) {
                    digest.update(buf, 0, n);
                    ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
                    while (bb.hasRemaining()) {
                        out.write(bb);
                    }
                    size += n;
                }
                if (durable) {
                    out.force(true);
                }
            }
            return new HashingSpool(tmp, Sha256.hex(digest), size);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        Files.deleteIfExists(file);
    }
}
