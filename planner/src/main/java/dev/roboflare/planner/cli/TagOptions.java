package dev.roboflare.planner.cli;

import dev.roboflare.planner.stack.Platform;
import dev.roboflare.planner.stack.ReleaseTag;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The options track-builds, invalidate-cloudfront and assets share: --path, --tag, --non-interactive (accepted
 * for the seeds' command lines; these commands never prompt) and -h/--help.
 */
final class TagOptions {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help.")
    boolean help;

    @Option(names = "--non-interactive", description = "Never prompt (this command never does).")
    boolean nonInteractive;

    @Option(names = "--path", paramLabel = "flex|ot2", description = "Robot stack. Default: from the tag (ot3@ = Flex, internal@ = OT-2).")
    String path;

    @Option(names = "--tag", required = true, paramLabel = "TAG", description = "The app release tag, e.g. ot3@8.5.0-alpha.0 or internal@26.5.2601.")
    String tag;

    ReleaseTag parse(CommandSpec spec) {
        Optional<Platform> given = Optional.empty();
        if (path != null) {
            given = Optional.of(Platform.fromCli(path.trim()).orElseThrow(() -> new ParameterException(spec.commandLine(),
                    "Invalid value for --path: '" + path + "' (expected flex|ot2)")));
        }
        try {
            ReleaseTag parsed = ReleaseTag.parse(tag, given);
            parsed.mismatch().ifPresent(warning -> {
                spec.commandLine().getErr().println("warning: " + warning);
                spec.commandLine().getErr().flush();
            });
            return parsed;
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
