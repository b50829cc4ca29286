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
}
