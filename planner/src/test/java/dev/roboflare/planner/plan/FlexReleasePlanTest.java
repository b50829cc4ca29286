package dev.roboflare.planner.plan;

import static dev.roboflare.planner.testing.JsonPlan.go;
import static dev.roboflare.planner.testing.JsonPlan.nextTag;
import static dev.roboflare.planner.testing.JsonPlan.repo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roboflare.planner.testing.PlannerRun;
import dev.roboflare.planner.testing.StackFixture;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlexReleasePlanTest {
    private static final String[] INTERNAL_STABLE = {"--path", "flex", "--release-type", "internal", "--stability", "stable"};
    private static final String[] INTERNAL_ALPHA = {"--path", "flex", "--release-type", "internal", "--stability", "unstable"};

    @TempDir
    Path ws;

    StackFixture.Flex stack;

    @BeforeEach
    void stackWithReleasedHistory() {
        stack = StackFixture.flex(ws);
        String fw = stack.firmware().commit("fw: motor tuning");
        stack.firmware().tag("internal@v26", fw);
        String os = stack.oeCore().commit("os: kernel");
        stack.oeCore().tag("internal@8.4.0", os);
        String app = stack.opentrons().commit("app: protocol designer");
        stack.opentrons().tag("ot3@8.4.0", app);
    }

    @Test
    void stableUsesTheBaseWhenAbsentOnTheBranchForAppAndRobotOs() {
        stack.firmware().commit("fw: fix stall detection");
        stack.oeCore().commit("os: update mender");
        stack.opentrons().commit("app: new labware");

        JsonNode plan = go(ws, withVersion(INTERNAL_STABLE, "8.5.0"));

        assertThat(nextTag(plan, "opentrons")).isEqualTo("ot3@8.5.0");
        assertThat(nextTag(plan, "oe-core")).isEqualTo("internal@8.5.0");
        assertThat(nextTag(plan, "ot3-firmware")).isEqualTo("internal@v27");
    }

    @Test
    void stablePatchBumpsWhenTheBaseIsAlreadyTaggedOnTheBranch() {
        String app = stack.opentrons().commit("app: 8.5.0");
        stack.opentrons().tag("ot3@8.5.0", app);
        stack.opentrons().commit("app: hotfix");
        String os = stack.oeCore().commit("os: 8.5.0");
        stack.oeCore().tag("internal@8.5.0", os);
        String os2 = stack.oeCore().commit("os: 8.5.1");
        stack.oeCore().tag("internal@8.5.1", os2);
        stack.oeCore().commit("os: hotfix");

        JsonNode plan = go(ws, withVersion(INTERNAL_STABLE, "8.5.0"));

        assertThat(nextTag(plan, "opentrons")).isEqualTo("ot3@8.5.1");
        assertThat(nextTag(plan, "oe-core")).isEqualTo("internal@8.5.2");
    }

    @Test
    void defaultBaseIsTheHighestAppBaseMergedIntoEdge() {
        String released = stack.opentrons().commit("app: 8.5.0");
        stack.opentrons().tag("ot3@8.5.0", released);
        String alpha = stack.opentrons().commit("app: 8.6 work");
        stack.opentrons().tag("ot3@8.6.0-alpha.1", alpha);
        stack.opentrons().checkoutNew("chore_release-9.0.0");
        String unmerged = stack.opentrons().commit("app: 9.0 branch");
        stack.opentrons().tag("ot3@9.0.0", unmerged);
        stack.opentrons().checkout("edge");
        stack.opentrons().commit("app: more 8.6 work");

        JsonNode stable = go(ws, INTERNAL_STABLE);
        JsonNode unstable = go(ws, INTERNAL_ALPHA);

        assertThat(stable.get("base_version").asText()).isEqualTo("8.6.0");
        assertThat(stable.get("base_version_inferred").asBoolean()).isTrue();
        assertThat(nextTag(stable, "opentrons")).isEqualTo("ot3@8.6.0");
        assertThat(nextTag(unstable, "opentrons")).isEqualTo("ot3@8.6.0-alpha.2");
    }

    @Test
    void firstAlphaOnABaseIsZeroAndOeCoreGetsTheSameNumber() {
        stack.opentrons().commit("app: work");
        stack.oeCore().commit("os: work");

        JsonNode plan = go(ws, withVersion(INTERNAL_ALPHA, "8.5.0"));

        assertThat(nextTag(plan, "opentrons")).isEqualTo("ot3@8.5.0-alpha.0");
        assertThat(nextTag(plan, "oe-core")).isEqualTo("internal@8.5.0-alpha.0");
    }

    @Test
    void alphaIncrementsFromTheHighestOnThatBaseAndOeCoreReusesTheAppsN() {
        GitFixtureSteps.tagAlphas(stack);
        stack.opentrons().commit("app: after alpha.3");
        stack.oeCore().commit("os: after alpha.1");

        JsonNode plan = go(ws, withVersion(INTERNAL_ALPHA, "8.5.0"));

        // oe-core only has alpha.1 of its own; the coordinated number comes from the app.
        assertThat(nextTag(plan, "opentrons")).isEqualTo("ot3@8.5.0-alpha.4");
        assertThat(nextTag(plan, "oe-core")).isEqualTo("internal@8.5.0-alpha.4");
        assertThat(repo(plan, "opentrons").get("pattern").asText()).isEqualTo("ot3@X.Y.Z-alpha.N");
        assertThat(repo(plan, "oe-core").get("tag_message").asText()).isEqualTo("chore(release): ot3@8.5.0-alpha.4");
    }

    @Test
    void firmwareIsOneAboveTheHighestMergedNumberEvenWhenCreatorDatesDisagree() {
        String older = stack.firmware().commit("fw: a");
        String newer = stack.firmware().commit("fw: b");
        stack.firmware().tag("internal@v28", newer, Instant.parse("2027-06-01T10:00:00Z"));
        stack.firmware().tag("internal@v27", older, Instant.parse("2027-06-02T10:00:00Z"));
        stack.firmware().checkoutNew("feature/unmerged");
        stack.firmware().tag("internal@v41", stack.firmware().commit("fw: unmerged experiment"));
        stack.firmware().checkout("main");

        JsonNode plan = go(ws, withVersion(INTERNAL_STABLE, "8.5.0"));

        JsonNode firmware = repo(plan, "ot3-firmware");
        assertThat(firmware.get("latest_tag").asText()).isEqualTo("internal@v27");
        assertThat(firmware.get("needs_tag").asBoolean()).isTrue();
        assertThat(firmware.get("next_tag").asText()).isEqualTo("internal@v29");
        assertThat(firmware.get("commits_since_total").asInt()).isEqualTo(1);
        assertThat(firmware.get("commits_since").get(0).get("subject").asText()).isEqualTo("fw: b");
    }

    @Test
    void aTipThatIsAlreadyTheLatestTagNeedsNoTagAndIsLeftOutOfThePushOrder() {
        stack.opentrons().commit("app: work");

        JsonNode plan = go(ws, withVersion(INTERNAL_STABLE, "8.5.0"));

        assertThat(repo(plan, "ot3-firmware").get("needs_tag").asBoolean()).isFalse();
        assertThat(repo(plan, "ot3-firmware").get("next_tag").isNull()).isTrue();
        assertThat(repo(plan, "oe-core").get("needs_tag").asBoolean()).isFalse();
        assertThat(plan.get("push_order")).hasSize(1);
        assertThat(plan.get("push_order").get(0).get("repo").asText()).isEqualTo("opentrons");
    }

    @Test
    void lightweightReleaseTagsAreIgnoredAndWarnedAbout() {
        String tip = stack.firmware().commit("fw: quick build");
        stack.firmware().lightweightTag("internal@v27", tip);

        JsonNode plan = go(ws, withVersion(INTERNAL_STABLE, "8.5.0"));

        assertThat(repo(plan, "ot3-firmware").get("latest_tag").asText()).isEqualTo("internal@v26");
        assertThat(repo(plan, "ot3-firmware").get("needs_tag").asBoolean()).isTrue();
        assertThat(plan.get("warnings").toString())
                .contains("ot3-firmware: ignoring 1 lightweight tag(s) matching internal@vN: internal@v27")
                .contains("tag internal@v27 already exists");
    }

    @Test
    void externalFlexUsesVPrefixedTagsAndSaysTheRulesArePublicConventions() {
        String app = stack.opentrons().commit("app: 8.4.0");
        stack.opentrons().tag("v8.4.0", app);
        stack.opentrons().commit("app: work");
        stack.oeCore().commit("os: work");
        String fw = stack.firmware().commit("fw: 12");
        stack.firmware().tag("v12", fw);
        stack.firmware().commit("fw: work");

        JsonNode stable = go(ws, "--path", "flex", "--release-type", "external", "--stability", "stable");
        JsonNode alpha = go(ws, "--path", "flex", "--release-type", "external", "--stability", "unstable");

        assertThat(nextTag(stable, "opentrons")).isEqualTo("v8.4.1");
        assertThat(nextTag(stable, "oe-core")).isEqualTo("v8.4.0");
        assertThat(nextTag(stable, "ot3-firmware")).isEqualTo("v13");
        assertThat(nextTag(alpha, "opentrons")).isEqualTo("v8.4.0-alpha.0");
        assertThat(stable.get("rules").get(0).asText()).contains("public conventions");
    }

    @Test
    void withoutAnyAppTagTheBaseMustBeGivenAndTheErrorSaysHow() {
        Path empty = ws.resolve("empty");
        StackFixture.flex(empty);

        PlannerRun run = PlannerRun.run("go", "--non-interactive", "--no-sync", "--workspace", empty.toString(),
                "--path", "flex", "--release-type", "internal", "--stability", "stable");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("Cannot infer the Flex base version").contains("Pass --version X.Y.Z");
    }

    @Test
    void betaIsNotOfferedForFlexAndTheErrorSaysSo() {
        PlannerRun run = PlannerRun.run("go", "--non-interactive", "--no-sync", "--workspace", ws.toString(),
                "--path", "flex", "--release-type", "internal", "--stability", "beta");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Beta is not offered for Flex").contains("stable and unstable");
    }

    private static String[] withVersion(String[] flags, String version) {
        String[] all = java.util.Arrays.copyOf(flags, flags.length + 2);
        all[flags.length] = "--version";
        all[flags.length + 1] = version;
        return all;
    }

    /** Alpha history shared by the alpha tests: app at alpha.3, oe-core at alpha.1, on base 8.5.0. */
    static final class GitFixtureSteps {
        static void tagAlphas(StackFixture.Flex stack) {
            for (int n = 0; n <= 3; n++) {
                stack.opentrons().tag("ot3@8.5.0-alpha." + n, stack.opentrons().commit("app: alpha " + n));
            }
            stack.opentrons().tag("ot3@8.6.0-alpha.7", stack.opentrons().head()); // another base does not count
            stack.oeCore().tag("internal@8.5.0-alpha.1", stack.oeCore().commit("os: alpha 1"));
        }
    }
}
