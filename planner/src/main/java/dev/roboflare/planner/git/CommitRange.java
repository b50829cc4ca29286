package dev.roboflare.planner.git;

import java.util.List;

/** Commits on the branch since the latest tag: the newest {@code shown} of {@code total}. */
public record CommitRange(int total, List<CommitSummary> shown) {
    public static CommitRange empty() {
        return new CommitRange(0, List.of());
    }
}
