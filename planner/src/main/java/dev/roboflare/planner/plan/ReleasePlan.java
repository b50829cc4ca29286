package dev.roboflare.planner.plan;

import dev.roboflare.planner.stack.StackDefinition;
import dev.roboflare.planner.version.BaseVersion;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The advisory result of {@code go}: what is tagged, what needs tagging, and the commands a person
 * runs. {@code releaseTag} is the app tag that track-builds and invalidate-cloudfront follow.
 */
public record ReleasePlan(
        PlanRequest request,
        StackDefinition stack,
        Optional<FlexBase> flexBase,
        boolean baseVersionInferred,
        LocalDate easternDate,
        List<RepoPlan> repos,
        List<PushStep> pushOrder,
        Optional<String> releaseTag,
        List<String> nextSteps,
        List<String> rules,
        List<String> warnings) {

    public ReleasePlan withWarningsFirst(List<String> earlier) {
        List<String> all = new ArrayList<>(earlier);
        all.addAll(warnings);
        return new ReleasePlan(request, stack, flexBase, baseVersionInferred, easternDate, repos, pushOrder,
                releaseTag, nextSteps, rules, List.copyOf(all));
    }

    /** The Flex base version; empty for OT-2, whose versions come from the date. */
    public Optional<BaseVersion> baseVersion() {
        return flexBase.map(FlexBase::version);
    }

    public RepoPlan repo(String name) {
        return repos.stream().filter(r -> r.repo().name().equals(name)).findFirst().orElseThrow();
    }
}
