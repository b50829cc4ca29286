package dev.roboflare.planner.plan;

import dev.roboflare.planner.git.ChannelTags;
import dev.roboflare.planner.stack.ReleaseType;
import dev.roboflare.planner.stack.Stability;
import dev.roboflare.planner.version.BaseVersion;
import dev.roboflare.planner.version.ChoreReleaseBranches;
import dev.roboflare.planner.version.FlexTagRules;
import java.util.Optional;
import java.util.Set;

/**
 * The Flex base version and where it came from: {@code given} (--version or the prompt), {@code branch}
 * (external only: the highest exact {@code chore_release-X.Y.Z} branch of opentrons, robot-stack's
 * flex_release_version.py) or {@code tags} (the highest app tag base merged into edge: the seeds for
 * internal, the same rule with v tags for external when there is no chore_release branch).
 */
public record FlexBase(BaseVersion version, String source, String from) {

    public static FlexBase given(BaseVersion version) {
        return new FlexBase(version, "given", "--version " + version);
    }

    /** @param appBranches opentrons' branch names; only read for external releases */
    public static Optional<FlexBase> infer(ReleaseType type, Stability stability, ChannelTags appDefaultBranch,
                                           Set<String> appBranches) {
        if (type == ReleaseType.EXTERNAL) {
            Optional<BaseVersion> fromBranch = ChoreReleaseBranches.highest(appBranches);
            if (fromBranch.isPresent()) {
                return Optional.of(new FlexBase(fromBranch.get(), "branch", ChoreReleaseBranches.branchFor(fromBranch.get())));
            }
        }
        return new FlexTagRules(type, stability).defaultBase(appDefaultBranch)
                .map(v -> new FlexBase(v, "tags", appDefaultBranch.branch()));
    }
}
