package dev.roboflare.agent.download;

import java.io.IOException;

/** Writing the part file failed (ENOSPC, read-only file system...): a local problem, not a dead link. */
public final class DiskWriteException extends IOException {
    public DiskWriteException(String message, IOException cause) {
        super(message, cause);
    }
}
