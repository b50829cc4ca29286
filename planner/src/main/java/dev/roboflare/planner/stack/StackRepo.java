package dev.roboflare.planner.stack;

/** One repository of a robot stack and the branch whose HEAD internal releases tag. */
public record StackRepo(String name, RepoRole role, String releaseBranch) {
}
