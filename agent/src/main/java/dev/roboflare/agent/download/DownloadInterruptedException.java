package dev.roboflare.agent.download;

/**
 * The download stopped before the end for a reason worth retrying: the control plane is unreachable, the
 * connection dropped, or the server answered an error (a 4xx may be an expired signed URL, refreshed by polling).
 * The part file keeps what arrived; the next attempt resumes with a Range request.
 */
public class DownloadInterruptedException extends Exception {
    private final int httpStatus;

    public DownloadInterruptedException(String message, int httpStatus) {
        super(message);
        this.httpStatus = httpStatus;
    }

    /** The HTTP status that stopped the download, or 0 for a network error. */
    public int httpStatus() {
        return httpStatus;
    }
}
