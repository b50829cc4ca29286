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

/**
 * OT-2 external releases: robot-stack's test_ot2_tag_allocation.py, test_buildroot_tag_allocation.py and
 * the OT-2 cases of test_flex_release_branching.py (automation/ at 62e72b6) re-expressed as real repos
 * planned through {@code go --json}. The internal case of test_ot2_tag_allocation.py is here too.
 */
class Ot2ExternalReleasePlanTest {
    @TempDir
    Path ws;

    StackFixture.Ot2 stack;

    @BeforeEach
    void stack() {
        stack = StackFixture.ot2(ws);
    }

    private static String[] external(String stability, String now) {
        return new String[] {"--path", "ot2", "--release-type", "external", "--stability", stability, "--now", now};
    }

    /** App tags on successive commits, then one more commit so the app needs a new tag; buildroot is already tagged. */
    private void appTagged(String... tags) {
        for (String tag : tags) {
            stack.app().tag(tag, stack.app().commit("app: " + tag));
        }
        stack.app().commit("app: new work");
        stack.buildroot().tag("v1.19.9", stack.buildroot().head());
    }

    @Test
    void nextStableIsOneAboveTheMonthsHighestBuild() {
        // test_next_stable_in_month
        appTagged("v26.6.0", "v26.6.1", "v26.5.7");

        JsonNode plan = go(ws, external("stable", "2026-06-15T15:00:00Z"));

        assertThat(nextTag(plan, "opentrons-ot2")).isEqualTo("v26.6.2");
        JsonNode rule = repo(plan, "opentrons-ot2").get("tag_rule");
        assertThat(rule.get("id").asText()).isEqualTo("ot2_external_app_stable");
        assertThat(rule.get("base").asText()).isEqualTo("26.6.2");
        assertThat(rule.get("base_source").asText()).isEqualTo("date");
    }

    @Test
    void nextAlphaStaysOnTheBuildThatAlreadyHasAlphas() {
        // test_next_alpha_on_base
        appTagged("v26.6.0-alpha.0", "v26.6.0");

        JsonNode plan = go(ws, external("alpha", "2026-06-15T15:00:00Z"));

        assertThat(nextTag(plan, "opentrons-ot2")).isEqualTo("v26.6.0-alpha.1");
        assertThat(repo(plan, "opentrons-ot2").get("tag_rule").get("base").asText()).isEqualTo("26.6.0");
    }

    @Test
    void firstAlphaAfterAStableGoesOnTheNextMonthlyBuild() {
        // test_next_alpha_after_stable_uses_next_monthly_build
        appTagged("v26.5.0");

        assertThat(nextTag(go(ws, external("alpha", "2026-05-30T15:00:00Z")), "opentrons-ot2")).isEqualTo("v26.5.1-alpha.0");
    }

    @Test
    void nextStableCountsPrereleaseOnlyBuilds() {
        // test_next_stable_counts_prerelease_bases
        appTagged("v26.5.0", "v26.5.1-alpha.0");

        assertThat(nextTag(go(ws, external("stable", "2026-05-30T15:00:00Z")), "opentrons-ot2")).isEqualTo("v26.5.2");
    }

    @Test
    void nextBetaStaysOnTheBuildThatAlreadyHasBetasAndAFirstBetaJoinsTheAlphas() {
        appTagged("v26.5.0", "v26.5.1-alpha.0");
        assertThat(nextTag(go(ws, external("beta", "2026-05-30T15:00:00Z")), "opentrons-ot2")).isEqualTo("v26.5.1-beta.0");

        stack.app().tag("v26.5.1-beta.0", stack.app().commit("app: beta"));
        stack.app().commit("app: beta fix");
        assertThat(nextTag(go(ws, external("beta", "2026-05-30T15:00:00Z")), "opentrons-ot2")).isEqualTo("v26.5.1-beta.1");
    }

    @Test
    void aTenthMonthlyBuildIsRefusedWithTheReason() {
        appTagged("v26.5.9");

        PlannerRun run = PlannerRun.run("go", "--non-interactive", "--no-sync", "--workspace", ws.toString(),
                "--path", "ot2", "--release-type", "external", "--stability", "stable", "--now", "2026-05-30T15:00:00Z");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("OT-2 external builds for 2026-05").contains("monthly builds 0-9");
    }

    @Test
    void buildrootContinuesItsOwnLineIgnoringCalendarTags() {
        // test_ignores_calendar_tags / test_patch_bumps_latest_traditional_tag
        stack.buildroot().tag("v1.19.8", stack.buildroot().commit("br: 1.19.8"));
        stack.buildroot().tag("v1.19.9", stack.buildroot().commit("br: 1.19.9"));
        stack.buildroot().tag("v26.5.0", stack.buildroot().commit("br: built with the app's calendar tag"));
        stack.buildroot().commit("br: kernel bump");
        stack.app().tag("v26.5.0", stack.app().commit("app: 26.5.0"));
        stack.app().commit("app: work");

        JsonNode plan = go(ws, external("stable", "2026-05-30T15:00:00Z"));

        JsonNode buildroot = repo(plan, "buildroot");
        assertThat(buildroot.get("pattern").asText()).isEqualTo("vMAJOR.MINOR.PATCH (buildroot's own line)");
        assertThat(buildroot.get("latest_tag").asText()).isEqualTo("v1.19.9");
        assertThat(buildroot.get("next_tag").asText()).isEqualTo("v1.19.10");
        assertThat(buildroot.get("tag_rule").get("id").asText()).isEqualTo("ot2_external_buildroot_line");
        assertThat(buildroot.get("tag_rule").get("base").asText()).isEqualTo("v1.19.9");
        assertThat(buildroot.get("tag_rule").get("base_source").asText()).isEqualTo("latest_tag");
        // Its tag message names the app release it ships with, not its own tag.
        assertThat(buildroot.get("tag_message").asText()).isEqualTo("chore(release): v26.5.1");
        assertThat(nextTag(plan, "opentrons-ot2")).isEqualTo("v26.5.1");
        assertThat(plan.get("push_order").toString())
                .isEqualTo("[{\"step\":1,\"repo\":\"buildroot\",\"tag\":\"v1.19.10\"},"
                        + "{\"step\":2,\"repo\":\"opentrons-ot2\",\"tag\":\"v26.5.1\"}]");
    }

    @Test
    void aBuildrootPrereleaseCountsAsItsLatestLineTag() {
        // test_accepts_traditional_prerelease
        stack.buildroot().tag("v1.19.8", stack.buildroot().commit("br: 1.19.8"));
        stack.buildroot().tag("v1.19.9-alpha.0", stack.buildroot().commit("br: 1.19.9 alpha"));
        stack.buildroot().commit("br: more");
        stack.app().commit("app: work");

        JsonNode plan = go(ws, external("alpha", "2026-05-30T15:00:00Z"));

        assertThat(repo(plan, "buildroot").get("latest_tag").asText()).isEqualTo("v1.19.9-alpha.0");
        assertThat(nextTag(plan, "buildroot")).isEqualTo("v1.19.10");
    }

    @Test
    void withoutATraditionalBuildrootTagThePlanIsRefusedInsteadOfInventingOne() {
        // test_raises_when_no_traditional_tags
        stack.buildroot().tag("v26.5.0", stack.buildroot().commit("br: calendar only"));
        stack.buildroot().commit("br: more");
        stack.app().commit("app: work");

        PlannerRun run = PlannerRun.run("go", "--non-interactive", "--no-sync", "--workspace", ws.toString(),
                "--path", "ot2", "--release-type", "external", "--stability", "stable", "--now", "2026-05-30T15:00:00Z");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("buildroot: cannot suggest an external tag")
                .contains("no annotated traditional vMAJOR.MINOR.PATCH tag").contains("merged into opentrons-develop")
                .contains("Calendar-style tags (v26.5.0)").contains("create buildroot's tag by hand");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void externalOt2TagsTheDefaultBranchEvenWithAChoreReleaseBranch() {
        // test_ot2_external_uses_default_branch
        appTagged("v26.6.0");
        stack.app().git("branch", "chore_release-26.6.0", stack.app().head());

        JsonNode plan = go(ws, external("stable", "2026-06-15T15:00:00Z"));

        assertThat(repo(plan, "opentrons-ot2").get("branch").asText()).isEqualTo("edge");
        assertThat(repo(plan, "opentrons-ot2").get("branch_source").asText()).isEqualTo("default");
        assertThat(plan.get("base_version").isNull()).isTrue();
        assertThat(plan.get("base_version_source").isNull()).isTrue();
    }

    @Test
    void internalAlphaAfterSameDayTagsIsTheNextBuildWithTheBareSuffix() {
        // TestAllocateNextInternalTag.test_next_alpha_after_same_day_tags
        stack.app().tag("internal@26.5.2601-alpha", stack.app().commit("app: alpha"));
        stack.app().tag("internal@26.5.2601", stack.app().commit("app: stable"));
        stack.app().commit("app: work");

        JsonNode plan = go(ws, "--path", "ot2", "--release-type", "internal", "--stability", "alpha",
                "--now", "2026-05-26T15:00:00Z");

        assertThat(nextTag(plan, "opentrons-ot2")).isEqualTo("internal@26.5.2602-alpha");
        assertThat(nextTag(plan, "buildroot")).isEqualTo("internal@26.5.2602-alpha");
        assertThat(repo(plan, "buildroot").get("tag_rule").get("id").asText()).isEqualTo("ot2_internal_calendar_alpha");
    }

    @Test
    void theTextTableSaysWhichRuleChoseEachTag() {
        appTagged("v26.5.0");
        stack.buildroot().commit("br: more");

        PlannerRun run = PlannerRun.run("go", "--non-interactive", "--no-sync", "--workspace", ws.toString(),
                "--path", "ot2", "--release-type", "external", "--stability", "stable", "--now", "2026-05-30T15:00:00Z");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("CHOSEN BY").contains("line after v1.19.9").contains("calendar, base 26.5.1")
                .contains("rule: buildroot's own line vMAJOR.MINOR.PATCH");
    }
}
