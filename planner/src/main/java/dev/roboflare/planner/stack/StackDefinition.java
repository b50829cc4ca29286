package dev.roboflare.planner.stack;

import java.util.List;

/**
 * The repositories, release branches and stabilities of one robot stack, as the seeds give them.
 * {@code tagged} is in tag push order: dependent stack repos first, the app monorepo always last.
 */
public record StackDefinition(
        Platform platform,
        List<StackRepo> tagged,
        List<StackRepo> reference,
        List<Stability> stabilities,
        String stabilityNote) {

    /** Cloned for reference by every run, never part of a tagging table. */
    static final StackRepo ROBOT_STACK_INFRA = new StackRepo("robot-stack-infra", RepoRole.REFERENCE, null);

    public static StackDefinition of(Platform platform) {
        return switch (platform) {
            case FLEX -> new StackDefinition(
                    Platform.FLEX,
                    List.of(
                            new StackRepo("ot3-firmware", RepoRole.FIRMWARE, "main"),
                            new StackRepo("oe-core", RepoRole.ROBOT_OS, "main"),
                            new StackRepo("opentrons", RepoRole.APP, "edge")),
                    List.of(ROBOT_STACK_INFRA),
                    List.of(Stability.STABLE, Stability.UNSTABLE),
                    "Flex offers stable and unstable (unstable = alpha builds). Beta is not offered: beta tags are made by hand.");
            case OT2 -> new StackDefinition(
                    Platform.OT2,
                    List.of(
                            new StackRepo("buildroot", RepoRole.ROBOT_OS, "opentrons-develop"),
                            new StackRepo("opentrons-ot2", RepoRole.APP, "edge")),
                    List.of(ROBOT_STACK_INFRA),
                    List.of(Stability.STABLE, Stability.ALPHA, Stability.BETA),
                    "OT-2 offers stable, alpha and beta.");
        };
    }

    public StackRepo app() {
        return tagged.stream().filter(r -> r.role() == RepoRole.APP).findFirst().orElseThrow();
    }

    public StackRepo repo(RepoRole role) {
        return tagged.stream().filter(r -> r.role() == role).findFirst().orElseThrow();
    }

    /** Every repository a sync touches: the tagged ones and the reference ones. */
    public List<StackRepo> allRepos() {
        return java.util.stream.Stream.concat(tagged.stream(), reference.stream()).toList();
    }
}
