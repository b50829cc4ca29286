package dev.roboflare.planner.cli;

import dev.roboflare.planner.cloudfront.DistributionLookup;
import dev.roboflare.planner.cloudfront.InvalidationAdvice;
import dev.roboflare.planner.stack.ChannelHost;
import dev.roboflare.planner.stack.ReleaseTag;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code invalidate-cloudfront}: prints the {@code aws cloudfront create-invalidation} command for the
 * channel host. It looks the distribution id up (read-only) when AWS credentials allow; it never
 * invalidates anything itself.
 */
@Command(
        name = "invalidate-cloudfront",
        description = "Print the copy-paste CloudFront invalidation for the channel host (it never invalidates).",
        footer = {"", "Exit codes: 0 command printed, 2 bad flags.", "",
                "Example:", "  roboflare-planner invalidate-cloudfront --non-interactive --path flex --tag ot3@8.5.0-alpha.0"})
final class InvalidateCloudfrontCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    TagOptions tagOptions = new TagOptions();

    @Option(names = "--profile", paramLabel = "PROFILE", defaultValue = InvalidationAdvice.DEFAULT_PROFILE,
            description = "AWS profile for the lookup and the printed commands (default ${DEFAULT-VALUE}).")
    String profile;

    @Option(names = "--host", paramLabel = "HOST",
            description = "Channel host. Default: the internal host of the stack (ot3-/ot2-development.builds.opentrons.com); required for v-tags.")
    String host;

    @Option(names = "--no-lookup", description = "Do not ask AWS for the distribution id; print the lookup command and a placeholder.")
    boolean noLookup;

    private final PlannerServices services;

    InvalidateCloudfrontCommand(PlannerServices services) {
        this.services = services;
    }

    @Override
    public Integer call() {
        ReleaseTag tag = tagOptions.parse(spec);
        ChannelHost channel = channelHost(spec, tag, host);
        PrintWriter out = spec.commandLine().getOut();

        Optional<String> id = Optional.empty();
        String note;
        if (noLookup) {
            note = "not looked up (--no-lookup)";
        } else {
            try {
                DistributionLookup lookup = services.cloudFrontForProfile().apply(profile);
                id = lookup.idForAlias(channel.host());
                note = id.isPresent() ? "looked up by alias with profile " + profile
                        : "no distribution lists " + channel.host() + " as an alias (profile " + profile + ")";
            } catch (DistributionLookup.LookupFailedException | IllegalStateException e) {
                note = "lookup with profile " + profile + " failed: " + e.getMessage();
            }
        }
        InvalidationAdvice advice = new InvalidationAdvice(channel, profile, id, note);

        out.println(tag.platform().displayName() + " CloudFront invalidation for " + tag.name()
                + " (advisory: this tool never invalidates)");
        out.println("Channel host: " + channel.host());
        out.println("Paths:        " + String.join(" ", channel.invalidationPaths()));
        out.println("Distribution: " + id.orElse(InvalidationAdvice.PLACEHOLDER_ID + " (placeholder)") + " - " + note);
        out.println();
        if (id.isEmpty()) {
            out.println("# 1. find the distribution id of " + channel.host() + ":");
            out.println(advice.lookupCommand());
            out.println("# 2. after the builds finish, replace " + InvalidationAdvice.PLACEHOLDER_ID + " with that id and run:");
        } else {
            out.println("# after the builds finish, run:");
        }
        out.println(advice.invalidateCommand());
        out.flush();
        return 0;
    }

    static ChannelHost channelHost(CommandSpec spec, ReleaseTag tag, String hostFlag) {
        ChannelHost internal = ChannelHost.internal(tag.platform());
        if (hostFlag != null && !hostFlag.isBlank()) {
            return internal.withHost(hostFlag.trim());
        }
        if (!tag.internal()) {
            throw new ParameterException(spec.commandLine(), tag.name() + " is an external tag: the seeds name only the"
                    + " internal channel hosts, so pass the external one with --host");
        }
        return internal;
    }
}
