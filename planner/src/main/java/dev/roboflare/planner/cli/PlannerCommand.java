package dev.roboflare.planner.cli;

import picocli.CommandLine.Command;

@Command(
        name = "roboflare-planner",
        mixinStandardHelpOptions = true,
        versionProvider = ToolVersion.class,
        description = "Advisory release planner for the Opentrons Flex and OT-2 robot stacks."
                + " It reads local clones and prints the tags to create; it never creates or pushes one.",
        subcommands = {GoCommand.class})
final class PlannerCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
