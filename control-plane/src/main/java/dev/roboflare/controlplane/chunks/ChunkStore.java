package dev.roboflare.controlplane.chunks;

import dev.roboflare.controlplane.artifacts.ArtifactStore;
import dev.roboflare.protocol.ChunkIndex;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * Delta chunks and chunk indexes in the artifact store (data dir or bucket), beside the blobs: a chunk under
 * {@code chunks/sha256/<2 hex>/<hex>}, shared by every artifact and organisation that contains it, and an
 * artifact's index under {@code chunk-indexes/sha256/<artifact hex>} (the index depends only on the bytes).
 */
public final class ChunkStore {
    private final ArtifactStore store;

    public ChunkStore(ArtifactStore store) {
        this.store = store;
    }

    public byte[] chunk(String sha256) throws IOException {
        return store.readObject(chunkKey(sha256));
    }

    boolean hasChunk(String sha256) throws IOException {
        return store.hasObject(chunkKey(sha256));
    }

    void putChunk(String sha256, byte[] data) throws IOException {
        store.writeObject(chunkKey(sha256), data);
    }

    /** The artifact's index, or null when it has none (uploaded before chunking, or not chunkable). */
    public ChunkIndex index(String artifactSha256) throws IOException {
        byte[] bytes = indexBytes(artifactSha256);
        return bytes == null ? null : ChunkIndex.decode(new ByteArrayInputStream(bytes));
    }

    public byte[] indexBytes(String artifactSha256) throws IOException {
        return store.readObject(indexKey(artifactSha256));
    }

    void putIndex(String artifactSha256, ChunkIndex index) throws IOException {
        store.writeObject(indexKey(artifactSha256), index.encode());
    }

    boolean hasIndex(String artifactSha256) throws IOException {
        return store.hasObject(indexKey(artifactSha256));
    }

    InputStreamSource blob(String sha256) {
        return () -> store.openBlob(sha256);
    }

    interface InputStreamSource {
        java.io.InputStream open() throws IOException;
    }

    private static String chunkKey(String sha256) {
        return "chunks/sha256/" + hex(sha256).substring(0, 2) + "/" + sha256;
    }

    private static String indexKey(String sha256) {
        return "chunk-indexes/sha256/" + hex(sha256);
    }

    private static String hex(String sha256) {
        if (sha256 == null || !sha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("not a sha256 hex digest: " + sha256);
        }
        return sha256;
    }
}
