package dev.roboflare.planner.git;

/** One commit line of the "commits since the latest tag" list. */
public record CommitSummary(String sha, String subject, String author) {
    public String shortSha() {
        return sha.substring(0, Math.min(10, sha.length()));
    }
}
