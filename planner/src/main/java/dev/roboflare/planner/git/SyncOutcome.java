package dev.roboflare.planner.git;

/** What a sync did to one clone, in words a release engineer can act on. */
public record SyncOutcome(String repo, Kind kind, String detail) {
    public enum Kind { CLONED, FAST_FORWARDED, UP_TO_DATE, NOT_FAST_FORWARDED, FAILED }

    public boolean isProblem() {
        return kind == Kind.NOT_FAST_FORWARDED || kind == Kind.FAILED;
    }
}
