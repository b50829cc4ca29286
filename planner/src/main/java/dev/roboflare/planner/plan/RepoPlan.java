package dev.roboflare.planner.plan;

import dev.roboflare.planner.git.CommitRange;
import dev.roboflare.planner.git.TagRef;
import dev.roboflare.planner.stack.StackRepo;
import java.nio.file.Path;
import java.util.Optional;

/**
 * One row of the plan: the repo's latest channel tag, whether its branch tip moved past it, and the
 * tag to create if so. {@code nextTag} is empty when no tag is needed; {@code rule} says which rule
 * chose (or would choose) it, from which branch and base.
 */
public record RepoPlan(
        StackRepo repo,
        Path directory,
        String pattern,
        String branch,
        String tip,
        Optional<TagRef> latestTag,
        boolean needsTag,
        Optional<String> nextTag,
        String tagMessage,
        Optional<String> compareUrl,
        CommitRange commitsSince,
        TagRule rule) {

    public String shortTip() {
        return tip.substring(0, Math.min(10, tip.length()));
    }
}
