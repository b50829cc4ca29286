package dev.roboflare.controlplane.artifacts;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * Where artifact bytes live, content-addressed by SHA-256: the data dir ({@link LocalArtifactStore}) or an
 * S3-compatible bucket ({@link S3ArtifactStore}). Uploads are streamed and hashed on the way; never held in memory.
 */
public interface ArtifactStore {
    record StoredBlob(String sha256, long size, String storageUrl) {
    }

    StoredBlob put(InputStream in) throws IOException;

    /** The blob as a local file the control plane serves itself, or null (missing, or kept elsewhere). */
    Path find(String sha256);

    /**
     * A URL robots download the blob from directly (an S3 presigned GET), or null when the control plane serves
     * it itself through its own signed /api/artifacts/{id}/download URL.
     */
    default String directDownloadUrl(String sha256) {
        return null;
    }

    /** The blob's bytes, streamed (for chunking it after an upload). */
    InputStream openBlob(String sha256) throws IOException;

    /**
     * A small named object beside the blobs (delta chunks and chunk indexes, see chunks/ChunkStore), or null when
     * there is none. {@code key} is a relative path of [a-z0-9-/] only.
     */
    byte[] readObject(String key) throws IOException;

    /** Stores a small named object whole (written to a temp name and renamed, or one PUT: never seen half-written). */
    void writeObject(String key, byte[] data) throws IOException;

    boolean hasObject(String key) throws IOException;

    /** Checks an object key: lowercase hex, digits, dashes and slashes, no empty or dot segments. */
    static String checkedKey(String key) {
        if (!key.matches("[a-z0-9-]+(/[a-z0-9-]+)*")) {
            throw new IllegalArgumentException("not an object key: " + key);
        }
        return key;
    }
}
