package dev.roboflare.planner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roboflare.planner.cloudfront.DistributionLookup;
import dev.roboflare.planner.testing.FakeTime;
import dev.roboflare.planner.testing.PlannerRun;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InvalidateCloudfrontCommandTest {
    private final List<String> asked = new ArrayList<>();

    private PlannerRun invalidate(DistributionLookup lookup, String... args) {
        FakeTime time = new FakeTime(Instant.parse("2026-05-26T15:00:00Z"));
        PlannerServices services = new PlannerServices(time, time, Optional::empty, profile -> {
            asked.add(profile);
            return lookup;
        });
        List<String> all = new ArrayList<>(List.of("invalidate-cloudfront", "--non-interactive"));
        all.addAll(List.of(args));
        return PlannerRun.run(services, all.toArray(String[]::new));
    }

    @Test
    void flexWithCredentialsPrintsTheInvalidationOfAppAndOt3OeWithTheLookedUpId() {
        List<String> aliases = new ArrayList<>();
        PlannerRun run = invalidate(alias -> {
            aliases.add(alias);
            return Optional.of("E2FLEXDEV");
        }, "--path", "flex", "--tag", "ot3@8.5.0-alpha.0");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(asked).containsExactly("robotics_robot_stack_prod-admin");
        assertThat(aliases).containsExactly("ot3-development.builds.opentrons.com");
        assertThat(run.out()).contains("aws cloudfront create-invalidation --profile robotics_robot_stack_prod-admin"
                + " --distribution-id E2FLEXDEV --paths '/app/*' '/ot3-oe/*'");
        assertThat(run.out()).doesNotContain("list-distributions", "DISTRIBUTION_ID");
    }

    @Test
    void withoutCredentialsItPrintsTheLookupCommandAndAPlaceholder() {
        PlannerRun run = invalidate(alias -> {
            throw new DistributionLookup.LookupFailedException("Unable to load credentials from any of the providers", null);
        }, "--tag", "internal@26.5.2601");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("Channel host: ot2-development.builds.opentrons.com",
                "lookup with profile robotics_robot_stack_prod-admin failed: Unable to load credentials",
                "aws cloudfront list-distributions --profile robotics_robot_stack_prod-admin --query"
                        + " \"DistributionList.Items[?Aliases.Items && contains(Aliases.Items, 'ot2-development.builds.opentrons.com')].Id\""
                        + " --output text",
                "aws cloudfront create-invalidation --profile robotics_robot_stack_prod-admin"
                        + " --distribution-id DISTRIBUTION_ID --paths '/app/*' '/ot2-br/*'");
        assertThat(run.out().indexOf("list-distributions")).isLessThan(run.out().indexOf("create-invalidation"));
    }

    @Test
    void noLookupNeverAsksAwsAndAnExternalTagNeedsAHost() {
        PlannerRun run = invalidate(alias -> {
            throw new AssertionError("must not look up");
        }, "--path", "flex", "--tag", "v8.5.0", "--host", "builds.example.com", "--no-lookup");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(asked).isEmpty();
        assertThat(run.out()).contains("contains(Aliases.Items, 'builds.example.com')", "--distribution-id DISTRIBUTION_ID");

        PlannerRun noHost = invalidate(alias -> Optional.empty(), "--path", "flex", "--tag", "v8.5.0");
        assertThat(noHost.exitCode()).isEqualTo(2);
        assertThat(noHost.err()).contains("pass the external one with --host");
    }
}
