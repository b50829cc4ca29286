package dev.roboflare.planner.cli;

import picocli.CommandLine.Command;

@Command(
        name = "roboflare-planner",
        mixinStandardHelpOptions = true,
        versionProvider = ToolVersion.class,
        description = "Advisory release planner for the Opentrons Flex and OT-2 robot stacks."
                + " It prints tags to create, CI runs to follow and commands to paste; it never tags, pushes, triggers or invalidates.",
        subcommands = {GoCommand.class, TrackBuildsCommand.class, InvalidateCloudfrontCommand.class, AssetsCommand.class})
final class PlannerCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
