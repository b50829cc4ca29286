package dev.roboflare.planner.plan;

import static dev.roboflare.planner.testing.JsonPlan.go;
import static dev.roboflare.planner.testing.JsonPlan.nextTag;
import static dev.roboflare.planner.testing.JsonPlan.repo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roboflare.planner.testing.PlannerRun;
import dev.roboflare.planner.testing.StackFixture;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Ot2ReleasePlanTest {
    @TempDir
    Path ws;

    StackFixture.Ot2 stack;

    @BeforeEach
    void stack() {
        stack = StackFixture.ot2(ws);
    }

    private static String[] internal(String stability, String now) {
        return new String[] {"--path", "ot2", "--release-type", "internal", "--stability", stability, "--now", now};
    }

    @Test
    void firstBuildOfTheDayIsBuildOneAndTheDayIsNotZeroPadded() {
        stack.app().commit("app: work");

        assertThat(nextTag(go(ws, internal("stable", "2026-05-26T15:00:00Z")), "opentrons-ot2")).isEqualTo("internal@26.5.2601");
        assertThat(nextTag(go(ws, internal("stable", "2026-05-01T15:00:00Z")), "opentrons-ot2")).isEqualTo("internal@26.5.101");
    }

    @Test
    void sameDayBuildsIncrementSeparatelyForStableAlphaAndBeta() {
        stack.app().tag("internal@26.5.2601", stack.app().commit("app: build 1"));
        stack.app().tag("internal@26.5.2602", stack.app().commit("app: build 2"));
        stack.app().tag("internal@26.5.2601-alpha", stack.app().commit("app: alpha 1"));
        stack.app().tag("internal@26.5.2509", stack.app().commit("app: yesterday"));
        stack.app().tag("internal@26.4.2607", stack.app().commit("app: last month"));
        stack.app().commit("app: new work");

        assertThat(nextTag(go(ws, internal("stable", "2026-05-26T15:00:00Z")), "opentrons-ot2")).isEqualTo("internal@26.5.2603");
        assertThat(nextTag(go(ws, internal("alpha", "2026-05-26T15:00:00Z")), "opentrons-ot2")).isEqualTo("internal@26.5.2602-alpha");
        assertThat(nextTag(go(ws, internal("beta", "2026-05-26T15:00:00Z")), "opentrons-ot2")).isEqualTo("internal@26.5.2601-beta");
    }

    @Test
    void theHundredthBuildOfADayIsAnErrorThatSaysWhy() {
        stack.app().tag("internal@26.5.2699", stack.app().commit("app: build 99"));
        stack.app().commit("app: one more");

        PlannerRun run = PlannerRun.run("go", "--non-interactive", "--no-sync", "--workspace", ws.toString(),
                "--path", "ot2", "--release-type", "internal", "--stability", "stable", "--now", "2026-05-26T15:00:00Z");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("2026-05-26 (America/New_York) are used up").contains("builds 1-99 per day");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void a99thBuildIsStillAllowed() {
        stack.app().tag("internal@26.5.2698", stack.app().commit("app: build 98"));
        stack.app().commit("app: one more");

        assertThat(nextTag(go(ws, internal("stable", "2026-05-26T15:00:00Z")), "opentrons-ot2")).isEqualTo("internal@26.5.2699");
    }

    @Test
    void halfPastTwoUtcOnThe27thIsStillThe26thInNewYork() {
        stack.app().commit("app: late night work");

        JsonNode plan = go(ws, internal("stable", "2026-05-27T02:30:00Z"));

        assertThat(plan.get("eastern_date").asText()).isEqualTo("2026-05-26");
        assertThat(nextTag(plan, "opentrons-ot2")).isEqualTo("internal@26.5.2601");
        assertThat(nextTag(go(ws, internal("stable", "2026-05-27T04:30:00Z")), "opentrons-ot2")).isEqualTo("internal@26.5.2701");
    }

    @Test
    void buildrootGetsTheSameTagOnlyWhenItsBranchIsAhead() {
        stack.app().tag("internal@26.5.2601", stack.app().commit("app: build 1"));
        stack.buildroot().tag("internal@26.5.2601", stack.buildroot().commit("br: build 1"));
        stack.app().commit("app: fix");

        JsonNode appOnly = go(ws, internal("stable", "2026-05-26T18:00:00Z"));
        assertThat(repo(appOnly, "buildroot").get("needs_tag").asBoolean()).isFalse();
        assertThat(nextTag(appOnly, "opentrons-ot2")).isEqualTo("internal@26.5.2602");

        stack.buildroot().commit("br: kernel bump");
        JsonNode both = go(ws, internal("stable", "2026-05-26T18:00:00Z"));
        assertThat(nextTag(both, "buildroot")).isEqualTo("internal@26.5.2602");
        assertThat(both.get("push_order").toString())
                .isEqualTo("[{\"step\":1,\"repo\":\"buildroot\",\"tag\":\"internal@26.5.2602\"},"
                        + "{\"step\":2,\"repo\":\"opentrons-ot2\",\"tag\":\"internal@26.5.2602\"}]");
        assertThat(repo(both, "buildroot").get("tag_message").asText()).isEqualTo("chore(release): internal@26.5.2602");
    }

    @Test
    void whenOnlyBuildrootMovedItsTagMessageNamesTheSharedTag() {
        stack.app().tag("internal@26.5.2601", stack.app().commit("app: build 1"));
        stack.buildroot().tag("internal@26.5.2601", stack.buildroot().commit("br: build 1"));
        stack.buildroot().commit("br: kernel bump");

        JsonNode plan = go(ws, internal("stable", "2026-05-26T18:00:00Z"));

        assertThat(nextTag(plan, "opentrons-ot2")).isNull();
        assertThat(nextTag(plan, "buildroot")).isEqualTo("internal@26.5.2602");
        assertThat(repo(plan, "buildroot").get("tag_message").asText()).isEqualTo("chore(release): internal@26.5.2602");
        assertThat(plan.get("release_tag").asText()).isEqualTo("internal@26.5.2601");
    }

    @Test
    void buildNumbersAlreadyUsedInBuildrootAreSkippedSoTheSharedTagIsFreeInBoth() {
        stack.app().tag("internal@26.5.2601", stack.app().commit("app: build 1"));
        stack.buildroot().tag("internal@26.5.2603", stack.buildroot().commit("br: built alone"));
        stack.app().commit("app: more");
        stack.buildroot().commit("br: more");

        JsonNode plan = go(ws, internal("stable", "2026-05-26T18:00:00Z"));

        assertThat(nextTag(plan, "opentrons-ot2")).isEqualTo("internal@26.5.2604");
        assertThat(nextTag(plan, "buildroot")).isEqualTo("internal@26.5.2604");
    }

    @Test
    void externalUsesMonthlyCalendarTagsWithNumberedPrereleases() {
        stack.app().commit("app: work");
        // buildroot keeps its own traditional line (issue 21); already tagged, so only the app moves.
        stack.buildroot().tag("v1.19.9", stack.buildroot().head());
        String[] stable = {"--path", "ot2", "--release-type", "external", "--stability", "stable"};
        String[] alpha = {"--path", "ot2", "--release-type", "external", "--stability", "alpha"};
        String[] beta = {"--path", "ot2", "--release-type", "external", "--stability", "beta"};

        assertThat(nextTag(go(ws, stable), "opentrons-ot2")).isEqualTo("v26.5.0");
        stack.app().tag("v26.5.0", stack.app().head());
        stack.app().tag("v26.5.1-alpha.0", stack.app().commit("app: next"));
        stack.app().commit("app: more");

        // The prerelease-only build v26.5.1 counts as used (robot-stack's ot2_tag_allocation, issue 21).
        assertThat(nextTag(go(ws, stable), "opentrons-ot2")).isEqualTo("v26.5.2");
        assertThat(nextTag(go(ws, alpha), "opentrons-ot2")).isEqualTo("v26.5.1-alpha.1");
        JsonNode betaPlan = go(ws, beta);
        assertThat(nextTag(betaPlan, "opentrons-ot2")).isEqualTo("v26.5.1-beta.0");
        assertThat(betaPlan.get("rules").get(0).asText()).contains("public conventions");
    }

    @Test
    void versionIsAFlexOnlyFlag() {
        PlannerRun run = PlannerRun.run("go", "--non-interactive", "--no-sync", "--workspace", ws.toString(),
                "--path", "ot2", "--release-type", "internal", "--stability", "stable", "--version", "26.5.0");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--version is for Flex only");
    }
}
