package dev.roboflare.controlplane.artifacts;

import dev.roboflare.controlplane.DataDir;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Content-addressed blobs under DATA/artifacts/sha256/&lt;hex&gt;. Bytes are streamed to a temp file while
 * hashing, then renamed into place, so a blob at its final path is always complete and never in memory.
 */
public final class LocalArtifactStore implements ArtifactStore {

    private final Path root;
    private final Path blobs;
    private final Path incoming;

    public LocalArtifactStore(Path root) throws IOException {
        this.root = root;
        this.blobs = DataDir.createPrivateDirectories(root.resolve("sha256"));
        // Same filesystem as the blobs, so the final rename is atomic.
        this.incoming = DataDir.createPrivateDirectories(root.resolve("incoming"));
    }

    @Override
    public StoredBlob put(InputStream in) throws IOException {
        try (HashingSpool spool = HashingSpool.of(in, incoming, true)) { // durable before visible under its hash
            Path target = blobPath(spool.sha256());
            if (!Files.exists(target)) {
                try {
                    Files.move(spool.file(), target, StandardCopyOption.ATOMIC_MOVE);
                } catch (FileAlreadyExistsException raced) {
                    // Another upload of the same bytes won; its blob is identical.
                }
            }
            return new StoredBlob(spool.sha256(), spool.size(), storageUrl(spool.sha256()));
        }
    }

    /** The blob's file, or null when it is missing (which means the data dir was tampered with). */
    @Override
    public Path find(String sha256) {
        Path p = blobPath(sha256);
        return Files.isRegularFile(p) ? p : null;
    }

    @Override
    public InputStream openBlob(String sha256) throws IOException {
        Path p = find(sha256);
        if (p == null) {
            throw new java.io.FileNotFoundException("blob " + sha256 + " is missing from " + this);
        }
        return Files.newInputStream(p);
    }

    @Override
    public byte[] readObject(String key) throws IOException {
        try {
            return Files.readAllBytes(root.resolve(ArtifactStore.checkedKey(key)));
        } catch (java.nio.file.NoSuchFileException e) {
            return null;
        }
    }

    @Override
    public void writeObject(String key, byte[] data) throws IOException {
        Path target = root.resolve(ArtifactStore.checkedKey(key));
        DataDir.createPrivateDirectories(target.getParent()); // chunks are artifact bytes: as private as the blobs
        Path tmp = Files.createTempFile(incoming, "object-", ".part");
        try {
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer bb = ByteBuffer.wrap(data);
                while (bb.hasRemaining()) {
                    out.write(bb);
                }
                out.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    @Override
    public boolean hasObject(String key) {
        return Files.isRegularFile(root.resolve(ArtifactStore.checkedKey(key)));
    }

    private Path blobPath(String sha256) {
        if (!sha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("not a sha256 hex digest: " + sha256);
        }
        return blobs.resolve(sha256);
    }

    private String storageUrl(String sha256) {
        return blobPath(sha256).toUri().toString();
    }

    public Path root() {
        return root;
    }

    @Override
    public String toString() {
        return root.toAbsolutePath().normalize().toString();
    }
}
