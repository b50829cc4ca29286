package dev.roboflare.planner.plan;

import static dev.roboflare.planner.testing.JsonPlan.go;
import static dev.roboflare.planner.testing.JsonPlan.nextTag;
import static dev.roboflare.planner.testing.JsonPlan.repo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roboflare.planner.testing.GitFixture;
import dev.roboflare.planner.testing.PlannerRun;
import dev.roboflare.planner.testing.StackFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Flex external releases on chore_release isolation branches: robot-stack's test_flex_release_version.py
 * and test_flex_release_branching.py (automation/ at 62e72b6) re-expressed as real repos planned through
 * {@code go --json}.
 */
class FlexExternalReleasePlanTest {
    private static final String[] EXTERNAL_STABLE = {"--path", "flex", "--release-type", "external", "--stability", "stable"};
    private static final String[] EXTERNAL_ALPHA = {"--path", "flex", "--release-type", "external", "--stability", "unstable"};
    private static final String[] INTERNAL_STABLE = {"--path", "flex", "--release-type", "internal", "--stability", "stable"};

    @TempDir
    Path ws;

    StackFixture.Flex stack;

    @BeforeEach
    void stackWithWorkOnEveryDefaultBranch() {
        stack = StackFixture.flex(ws);
        stack.firmware().tag("v12", stack.firmware().commit("fw: 12"));
        stack.firmware().commit("fw: work");
        stack.oeCore().commit("os: work");
        stack.opentrons().tag("v8.5.0", stack.opentrons().commit("app: 8.5.0"));
        stack.opentrons().commit("app: 9.x work");
    }

    /** A branch at the current edge tip, without checking it out. */
    private static void branch(GitFixture repo, String name) {
        repo.git("branch", name, repo.head());
    }

    private static String[] with(String[] flags, String... more) {
        return Stream.concat(Arrays.stream(flags), Arrays.stream(more)).toArray(String[]::new);
    }

    @Test
    void theHighestExactChoreReleaseBranchIsTheBaseAheadOfTags() {
        // test_picks_highest_semver / test_prefers_branches_over_tags
        for (String name : new String[] {"chore_release-8.5.0", "chore_release-9.1.0", "chore_release-9.0.0",
                "candidate-chore_release-9.9.0", "e2e-app-start-chore_release-9.8.0"}) {
            branch(stack.opentrons(), name);
        }
        stack.opentrons().commit("app: edge moves on");

        JsonNode plan = go(ws, EXTERNAL_STABLE);

        assertThat(plan.get("base_version").asText()).isEqualTo("9.1.0");
        assertThat(plan.get("base_version_inferred").asBoolean()).isTrue();
        assertThat(plan.get("base_version_source").asText()).isEqualTo("branch");
        assertThat(plan.get("base_version_from").asText()).isEqualTo("chore_release-9.1.0");
        JsonNode app = repo(plan, "opentrons");
        assertThat(app.get("branch").asText()).isEqualTo("chore_release-9.1.0");
        assertThat(app.get("branch_source").asText()).isEqualTo("chore_release");
        assertThat(app.get("next_tag").asText()).isEqualTo("v9.1.0");
        assertThat(app.get("tag_rule").get("id").asText()).isEqualTo("flex_external_app_stable");
        assertThat(app.get("tag_rule").get("base").asText()).isEqualTo("9.1.0");
        assertThat(app.get("tag_rule").get("base_source").asText()).isEqualTo("branch");
        assertThat(app.get("commands").toString()).contains("git checkout chore_release-9.1.0");
    }

    @Test
    void prefixedLookAlikeBranchesDoNotCountSoTheBaseComesFromTagsOnEdge() {
        // test_rejects_prefixed_variants / test_falls_back_to_tags
        branch(stack.opentrons(), "candidate-chore_release-8.5.0");
        branch(stack.opentrons(), "e2e-app-start-chore_release-9.0.0");
        branch(stack.opentrons(), "chore_release-9.0.0-hotfix");
        stack.opentrons().tag("v9.1.0-alpha.1", stack.opentrons().commit("app: 9.1 alpha"));
        stack.opentrons().commit("app: more");

        JsonNode plan = go(ws, EXTERNAL_ALPHA);

        assertThat(plan.get("base_version").asText()).isEqualTo("9.1.0");
        assertThat(plan.get("base_version_source").asText()).isEqualTo("tags");
        assertThat(plan.get("base_version_from").asText()).isEqualTo("edge");
        assertThat(repo(plan, "opentrons").get("branch").asText()).isEqualTo("edge");
        assertThat(repo(plan, "opentrons").get("branch_source").asText()).isEqualTo("default");
        assertThat(nextTag(plan, "opentrons")).isEqualTo("v9.1.0-alpha.2");
    }

    @Test
    void alphaTagsAreCountedOnTheIsolationBranchAndTheTagGoesThere() {
        stack.opentrons().checkoutNew("chore_release-9.1.0");
        for (int n = 0; n <= 2; n++) {
            stack.opentrons().tag("v9.1.0-alpha." + n, stack.opentrons().commit("app: 9.1.0 alpha " + n));
        }
        String branchTip = stack.opentrons().commit("app: release fix");
        stack.opentrons().checkout("edge");
        // A tag on edge after the branch point is not on the branch, so it does not count.
        stack.opentrons().tag("v9.1.0-alpha.9", stack.opentrons().commit("app: edge-only build"));

        JsonNode plan = go(ws, EXTERNAL_ALPHA);

        JsonNode app = repo(plan, "opentrons");
        assertThat(app.get("branch").asText()).isEqualTo("chore_release-9.1.0");
        assertThat(app.get("tip").asText()).isEqualTo(branchTip);
        assertThat(app.get("latest_tag").asText()).isEqualTo("v9.1.0-alpha.2");
        assertThat(app.get("next_tag").asText()).isEqualTo("v9.1.0-alpha.3");
        assertThat(app.get("compare_url").asText()).endsWith("/compare/v9.1.0-alpha.2...chore_release-9.1.0");
        assertThat(app.get("commands")).extracting(JsonNode::asText)
                .containsExactly("cd " + ws.resolve("opentrons"), "git checkout chore_release-9.1.0",
                        "git tag -a v9.1.0-alpha.3 -m 'chore(release): v9.1.0-alpha.3'", "git push origin v9.1.0-alpha.3");
        assertThat(app.get("tag_rule").get("text").asText()).contains("merged into chore_release-9.1.0");
        // oe-core reuses the app's N on the same base.
        assertThat(nextTag(plan, "oe-core")).isEqualTo("v9.1.0-alpha.3");
    }

    @Test
    void eachStackRepoUsesItsOwnIsolationBranchWhenItHasOneAndItsDefaultBranchOtherwise() {
        branch(stack.opentrons(), "chore_release-9.1.0");
        stack.oeCore().checkoutNew("chore_release-9.1.0");
        stack.oeCore().tag("v9.1.0", stack.oeCore().commit("os: 9.1.0"));
        String osFix = stack.oeCore().commit("os: 9.1.0 fix");
        stack.oeCore().checkout("main");

        JsonNode plan = go(ws, EXTERNAL_STABLE);

        JsonNode os = repo(plan, "oe-core");
        assertThat(os.get("branch").asText()).isEqualTo("chore_release-9.1.0");
        assertThat(os.get("branch_source").asText()).isEqualTo("chore_release");
        assertThat(os.get("tip").asText()).isEqualTo(osFix);
        assertThat(os.get("next_tag").asText()).isEqualTo("v9.1.1");
        JsonNode firmware = repo(plan, "ot3-firmware");
        assertThat(firmware.get("branch").asText()).isEqualTo("main");
        assertThat(firmware.get("branch_source").asText()).isEqualTo("default");
        assertThat(firmware.get("next_tag").asText()).isEqualTo("v13");
        assertThat(firmware.get("tag_rule").get("text").asText()).contains("no chore_release-9.1.0 in ot3-firmware");
        assertThat(plan.get("push_order").toString()).contains("{\"step\":2,\"repo\":\"oe-core\",\"tag\":\"v9.1.1\"}");
    }

    @Test
    void versionWithALeadingVPicksThatIsolationBranchAndWithoutTheBranchStaysOnEdge() {
        // test_strips_v_prefix / test_flex_external_prefers_chore_release / test_flex_external_falls_back_to_default
        branch(stack.opentrons(), "chore_release-9.1.0");
        branch(stack.opentrons(), "chore_release-9.2.0");
        stack.opentrons().commit("app: edge work");

        JsonNode onBranch = go(ws, with(EXTERNAL_STABLE, "--version", "v9.1.0"));
        JsonNode noBranch = go(ws, with(EXTERNAL_STABLE, "--version", "v9.3.0"));

        assertThat(onBranch.get("base_version").asText()).isEqualTo("9.1.0");
        assertThat(onBranch.get("base_version_source").asText()).isEqualTo("given");
        assertThat(repo(onBranch, "opentrons").get("branch").asText()).isEqualTo("chore_release-9.1.0");
        assertThat(nextTag(onBranch, "opentrons")).isEqualTo("v9.1.0");
        assertThat(repo(noBranch, "opentrons").get("branch").asText()).isEqualTo("edge");
        assertThat(repo(noBranch, "opentrons").get("branch_source").asText()).isEqualTo("default");
        assertThat(nextTag(noBranch, "opentrons")).isEqualTo("v9.3.0");
    }

    @Test
    void internalFlexStaysOnTheDefaultBranchEvenWhenAnIsolationBranchExists() {
        // test_flex_internal_uses_default_branch / test_uses_ot3_tags
        stack.opentrons().tag("ot3@2.8.0-alpha.3", stack.opentrons().commit("app: a"));
        stack.opentrons().tag("ot3@3.1.0-alpha.5", stack.opentrons().commit("app: b"));
        stack.opentrons().tag("ot3@3.0.0-alpha.0", stack.opentrons().commit("app: c"));
        branch(stack.opentrons(), "chore_release-3.1.0");
        stack.opentrons().commit("app: d");

        JsonNode plan = go(ws, INTERNAL_STABLE);

        assertThat(plan.get("base_version").asText()).isEqualTo("3.1.0");
        assertThat(plan.get("base_version_source").asText()).isEqualTo("tags");
        assertThat(repo(plan, "opentrons").get("branch").asText()).isEqualTo("edge");
        assertThat(nextTag(plan, "opentrons")).isEqualTo("ot3@3.1.0");
        assertThat(repo(plan, "opentrons").get("tag_rule").get("id").asText()).isEqualTo("flex_internal_app_stable");
    }

    @Test
    void withNeitherABranchNorATagTheErrorAsksForTheVersion() {
        Path empty = ws.resolve("empty");
        StackFixture.flex(empty);

        PlannerRun run = PlannerRun.run(with(new String[] {"go", "--non-interactive", "--no-sync", "--workspace",
                empty.toString()}, EXTERNAL_STABLE));

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("no annotated vX.Y.Z tag is merged into edge of opentrons")
                .contains("no chore_release-X.Y.Z branch").contains("Pass --version X.Y.Z");
    }

    @Test
    void syncBringsTheIsolationBranchFromOriginAndFastForwardsItOnTheNextRun(@TempDir Path tmp) throws Exception {
        // origin (a bare repo reached through file://) has chore_release-9.1.0; the engineer's clone does not yet.
        Path remotes = tmp.resolve("remotes");
        stack.opentrons().checkoutNew("chore_release-9.1.0");
        stack.opentrons().tag("v9.1.0-alpha.0", stack.opentrons().commit("app: 9.1.0 alpha 0"));
        stack.opentrons().commit("app: after alpha 0");
        stack.opentrons().checkout("edge");
        GitFixture infra = GitFixture.init(ws.resolve("robot-stack-infra"), "main");
        for (GitFixture upstream : List.of(stack.firmware(), stack.oeCore(), stack.opentrons(), infra)) {
            String name = upstream.dir().getFileName().toString();
            upstream.git("clone", "--quiet", "--bare", upstream.dir().toString(), remotes.resolve(name + ".git").toString());
            upstream.git("remote", "add", "origin", remotes.resolve(name + ".git").toString());
        }
        Path clones = tmp.resolve("clones");
        Files.createDirectories(clones);
        Files.writeString(clones.resolve("roboflare-planner.properties"),
                "remote.default=" + remotes.toUri() + "{repo}.git\n");
        String[] args = with(new String[] {"go", "--non-interactive", "--skip-assumptions", "--json", "--workspace",
                clones.toString(), "--now", "2026-05-26T15:00:00Z"}, EXTERNAL_ALPHA);

        PlannerRun first = PlannerRun.run(args);

        assertThat(first.exitCode()).as(first.err()).isZero();
        JsonNode plan = new ObjectMapper().readTree(first.out());
        assertThat(repo(plan, "opentrons").get("branch").asText()).isEqualTo("chore_release-9.1.0");
        assertThat(nextTag(plan, "opentrons")).isEqualTo("v9.1.0-alpha.1");
        assertThat(plan.get("sync").toString()).contains("created chore_release-9.1.0 from origin/chore_release-9.1.0");

        stack.opentrons().checkout("chore_release-9.1.0");
        stack.opentrons().tag("v9.1.0-alpha.1", stack.opentrons().commit("app: 9.1.0 alpha 1"));
        String upstreamTip = stack.opentrons().commit("app: 9.1.0 fix");
        stack.opentrons().git("push", "--quiet", "--tags", "origin", "chore_release-9.1.0");

        JsonNode second = new ObjectMapper().readTree(PlannerRun.run(args).out());

        assertThat(repo(second, "opentrons").get("tip").asText()).isEqualTo(upstreamTip);
        assertThat(nextTag(second, "opentrons")).isEqualTo("v9.1.0-alpha.2");
        assertThat(second.get("sync").toString()).contains("fast-forwarded chore_release-9.1.0 to origin/chore_release-9.1.0");
    }

    @Test
    void theTextPlanSaysWhichBranchAndBaseChoseEachTag() {
        branch(stack.opentrons(), "chore_release-9.1.0");

        PlannerRun run = PlannerRun.run(with(new String[] {"go", "--non-interactive", "--no-sync", "--workspace",
                ws.toString()}, EXTERNAL_STABLE));

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("Base version: 9.1.0 (inferred from branch chore_release-9.1.0)")
                .contains("CHOSEN BY")
                .contains("branch chore_release-9.1.0, base 9.1.0")
                .contains("Release branches: chore_release-X.Y.Z of the base where a repo has it");
    }
}
