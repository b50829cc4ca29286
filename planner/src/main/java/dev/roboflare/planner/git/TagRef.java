package dev.roboflare.planner.git;

import java.time.Instant;

/**
 * A tag as the planner sees it. {@code creatorDate} is the tagger date for annotated tags and the
 * commit date for lightweight ones, as {@code git tag --sort=creatordate} orders them.
 */
public record TagRef(String name, String commit, Instant creatorDate, boolean annotated, boolean merged) {
}
