package dev.roboflare.planner.github;

/** GitHub answered with an error the planner cannot work around (bad token, no access, server error). */
public class GitHubException extends RuntimeException {
    private final int status;

    public GitHubException(int status, String message) {
        super(message);
        this.status = status;
    }

    public GitHubException(String message, Throwable cause) {
        super(message, cause);
        this.status = -1;
    }

    /** HTTP status, or -1 when no answer came (network error). */
    public int status() {
        return status;
    }

    public boolean notFound() {
        return status == 404;
    }
}
