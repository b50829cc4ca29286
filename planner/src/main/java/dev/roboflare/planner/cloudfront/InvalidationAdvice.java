package dev.roboflare.planner.cloudfront;

import dev.roboflare.planner.stack.ChannelHost;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The copy-paste {@code aws cloudfront create-invalidation} command for a channel host. With no
 * distribution id (lookup impossible or failed) it carries the {@link #PLACEHOLDER_ID} and the
 * {@code list-distributions} command that finds the real one. Nothing here runs a command.
 */
public record InvalidationAdvice(ChannelHost host, String profile, Optional<String> distributionId, String lookupNote) {
    public static final String PLACEHOLDER_ID = "DISTRIBUTION_ID";
    public static final String DEFAULT_PROFILE = "robotics_robot_stack_prod-admin";

    public String invalidateCommand() {
        String paths = host.invalidationPaths().stream().map(p -> "'" + p + "'").collect(Collectors.joining(" "));
        return "aws cloudfront create-invalidation --profile " + profile + " --distribution-id "
                + distributionId.orElse(PLACEHOLDER_ID) + " --paths " + paths;
    }

    public String lookupCommand() {
        return "aws cloudfront list-distributions --profile " + profile
                + " --query \"DistributionList.Items[?Aliases.Items && contains(Aliases.Items, '" + host.host() + "')].Id\""
                + " --output text";
    }

    /** The lines to paste, in order: the lookup first when the id is a placeholder. */
    public List<String> commands() {
        return distributionId.isPresent() ? List.of(invalidateCommand()) : List.of(lookupCommand(), invalidateCommand());
    }
}
