package dev.roboflare.planner.cli;

import dev.roboflare.planner.Sleeper;
import dev.roboflare.planner.cloudfront.DistributionLookup;
import dev.roboflare.planner.cloudfront.SdkDistributionLookup;
import dev.roboflare.planner.github.GitHubToken;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What the commands take from the outside world, so tests can replace it: the clock and sleeper
 * of polls and rate-limit waits, the GitHub token, and the CloudFront lookup (by AWS profile).
 */
public record PlannerServices(
        Clock clock,
        Sleeper sleeper,
        Supplier<Optional<String>> githubToken,
        Function<String, DistributionLookup> cloudFrontForProfile) {

    public static PlannerServices real() {
        return new PlannerServices(Clock.systemUTC(), Sleeper.system(), () -> GitHubToken.resolve(System::getenv),
                SdkDistributionLookup::forProfile);
    }
}
