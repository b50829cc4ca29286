package dev.roboflare.agent.executor;

/** The artifact cannot be applied (a bad tarball entry, a kind we cannot run); the message goes into the failed event. */
public class RejectedArtifactException extends Exception {
    public RejectedArtifactException(String message) {
        super(message);
    }
}
