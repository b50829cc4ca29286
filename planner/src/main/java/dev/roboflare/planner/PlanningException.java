package dev.roboflare.planner;

/** A plan cannot be made; the message tells the release engineer what to do about it. */
public final class PlanningException extends RuntimeException {
    public PlanningException(String message) {
        super(message);
    }

    public PlanningException(String message, Throwable cause) {
        super(message, cause);
    }
}
