package dev.roboflare.planner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roboflare.planner.testing.GitFixture;
import dev.roboflare.planner.testing.JsonPlan;
import dev.roboflare.planner.testing.PlannerRun;
import dev.roboflare.planner.testing.StackFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GoCommandTest {
    @TempDir
    Path tmp;

    /** Flex stack where every repo moved past its last internal tag. */
    private StackFixture.Flex flexNeedingAllTags(Path ws) {
        StackFixture.Flex stack = StackFixture.flex(ws);
        stack.firmware().tag("internal@v26", stack.firmware().commit("fw: 26"));
        stack.firmware().commit("fw: fix stall detection");
        stack.oeCore().tag("internal@8.4.0", stack.oeCore().commit("os: 8.4.0"));
        stack.oeCore().commit("os: update mender");
        stack.opentrons().tag("ot3@8.4.0", stack.opentrons().commit("app: 8.4.0"));
        stack.opentrons().commit("app: new labware");
        return stack;
    }

    private static PlannerRun goFlexStable(Path ws, String... extra) {
        List<String> args = new ArrayList<>(List.of("go", "--non-interactive", "--skip-assumptions", "--no-sync",
                "--workspace", ws.toString(), "--path", "flex", "--release-type", "internal", "--stability", "stable",
                "--version", "8.5.0", "--now", JsonPlan.NOW));
        args.addAll(List.of(extra));
        return PlannerRun.run(args.toArray(String[]::new));
    }

    @Test
    void printsExactCopyPasteLinesPerRepoInPushOrderWithTheAppLast() {
        Path ws = tmp.resolve("ws");
        flexNeedingAllTags(ws);

        PlannerRun run = goFlexStable(ws);

        assertThat(run.exitCode()).as(run.err()).isZero();
        String out = run.out();
        String firmware = String.join("\n",
                "  # 1. ot3-firmware",
                "  cd " + ws.resolve("ot3-firmware"),
                "  git checkout main",
                "  git tag -a internal@v27 -m 'chore(release): ot3@8.5.0'",
                "  git push origin internal@v27");
        String oeCore = String.join("\n",
                "  # 2. oe-core",
                "  cd " + ws.resolve("oe-core"),
                "  git checkout main",
                "  git tag -a internal@8.5.0 -m 'chore(release): ot3@8.5.0'",
                "  git push origin internal@8.5.0");
        String app = String.join("\n",
                "  # 3. opentrons",
                "  cd " + ws.resolve("opentrons"),
                "  git checkout edge",
                "  git tag -a ot3@8.5.0 -m 'chore(release): ot3@8.5.0'",
                "  git push origin ot3@8.5.0");
        assertThat(out).contains(firmware, oeCore, app);
        assertThat(out.indexOf(firmware)).isLessThan(out.indexOf(oeCore));
        assertThat(out.indexOf(oeCore)).isLessThan(out.indexOf(app));
        assertThat(out).contains("  1. ot3-firmware  internal@v27", "  2. oe-core       internal@8.5.0",
                "  3. opentrons     ot3@8.5.0", "app monorepo, always last");
        assertThat(out).contains("scripts/planner track-builds --non-interactive --path flex --tag ot3@8.5.0 --wait",
                "scripts/planner invalidate-cloudfront --non-interactive --path flex --tag ot3@8.5.0");
        assertThat(out).contains("https://github.com/Opentrons/opentrons/compare/ot3@8.4.0...edge",
                "https://github.com/Opentrons/ot3-firmware/compare/internal@v26...main");
        assertThat(out).contains("REPO", "PATTERN", "LATEST TAG", "NEEDS TAG");
        assertThat(out).containsPattern("ot3-firmware +internal@vN +internal@v26 +main +[0-9a-f]{10} +yes");
        assertThat(out).contains("fw: fix stall detection (Release Engineer)");
        assertThat(out).doesNotContain("robot-stack-infra  ");
    }

    @Test
    void listsAtMostTwentyCommitsAndSaysHowManyMore() {
        Path ws = tmp.resolve("ws");
        StackFixture.Flex stack = flexNeedingAllTags(ws);
        for (int i = 1; i <= 24; i++) {
            stack.opentrons().commit("app: change " + i);
        }

        PlannerRun run = goFlexStable(ws);
        JsonNode json = JsonPlan.go(ws, "--path", "flex", "--release-type", "internal", "--stability", "stable");

        assertThat(run.out()).contains("opentrons: 25 since ot3@8.4.0", "app: change 24", "... and 5 more");
        assertThat(run.out()).doesNotContain("app: change 4 (");
        JsonNode app = JsonPlan.repo(json, "opentrons");
        assertThat(app.get("commits_since")).hasSize(20);
        assertThat(app.get("commits_since_total").asInt()).isEqualTo(25);
        assertThat(app.get("commits_since").get(0).get("subject").asText()).isEqualTo("app: change 24");
    }

    @Test
    void jsonHasTheDocumentedShape() throws Exception {
        Path ws = tmp.resolve("ws");
        StackFixture.Flex stack = flexNeedingAllTags(ws);

        PlannerRun run = goFlexStable(ws, "--json");
        JsonNode plan = new ObjectMapper().readTree(run.out());

        assertThat(plan.get("path").asText()).isEqualTo("flex");
        assertThat(plan.get("release_type").asText()).isEqualTo("internal");
        assertThat(plan.get("stability").asText()).isEqualTo("stable");
        assertThat(plan.get("base_version").asText()).isEqualTo("8.5.0");
        assertThat(plan.get("now").asText()).isEqualTo("2026-05-26T15:00:00Z");
        assertThat(plan.get("release_tag").asText()).isEqualTo("ot3@8.5.0");
        assertThat(plan.get("repos")).extracting(r -> r.get("repo").asText())
                .containsExactly("ot3-firmware", "oe-core", "opentrons");
        JsonNode app = JsonPlan.repo(plan, "opentrons");
        assertThat(app.fieldNames()).toIterable().contains("repo", "role", "pattern", "branch", "tip", "latest_tag",
                "needs_tag", "next_tag", "commits_since", "compare_url", "commands");
        assertThat(app.get("role").asText()).isEqualTo("app");
        assertThat(app.get("pattern").asText()).isEqualTo("ot3@X.Y.Z");
        assertThat(app.get("branch").asText()).isEqualTo("edge");
        assertThat(app.get("tip").asText()).isEqualTo(stack.opentrons().head());
        assertThat(app.get("latest_tag").asText()).isEqualTo("ot3@8.4.0");
        assertThat(app.get("needs_tag").asBoolean()).isTrue();
        assertThat(app.get("next_tag").asText()).isEqualTo("ot3@8.5.0");
        assertThat(app.get("commands")).extracting(JsonNode::asText)
                .contains("git tag -a ot3@8.5.0 -m 'chore(release): ot3@8.5.0'", "git push origin ot3@8.5.0");
        assertThat(plan.get("push_order")).extracting(s -> s.get("repo").asText())
                .containsExactly("ot3-firmware", "oe-core", "opentrons");
        assertThat(plan.get("next_steps")).hasSize(2);
        assertThat(run.err()).isEmpty();
    }

    @Test
    void syncClonesEveryRepoIncludingReferenceOnlyOnesThenFastForwardsFromTheRemotes() throws Exception {
        Path remotes = tmp.resolve("remotes");
        Path upstreamDir = tmp.resolve("upstream");
        StackFixture.Flex upstream = flexNeedingAllTags(upstreamDir);
        GitFixture infra = GitFixture.init(upstreamDir.resolve("robot-stack-infra"), "main");
        for (GitFixture repo : List.of(upstream.firmware(), upstream.oeCore(), upstream.opentrons(), infra)) {
            String name = repo.dir().getFileName().toString();
            repo.git("clone", "--quiet", "--bare", repo.dir().toString(), remotes.resolve(name + ".git").toString());
            repo.git("remote", "add", "origin", remotes.resolve(name + ".git").toString());
        }
        Path ws = tmp.resolve("ws");
        Files.createDirectories(ws);
        Files.writeString(ws.resolve("roboflare-planner.properties"),
                "remote.default=" + remotes.toUri() + "{repo}.git\n");
        String[] args = {"go", "--non-interactive", "--skip-assumptions", "--json", "--workspace", ws.toString(),
                "--path", "flex", "--release-type", "internal", "--stability", "stable", "--now", JsonPlan.NOW};

        PlannerRun first = PlannerRun.run(args);

        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(ws.resolve("robot-stack-infra/.git")).isDirectory();
        JsonNode plan = new ObjectMapper().readTree(first.out());
        assertThat(plan.get("repos")).extracting(r -> r.get("repo").asText()).doesNotContain("robot-stack-infra");
        assertThat(plan.get("sync")).extracting(s -> s.get("result").asText()).containsOnly("cloned");
        assertThat(JsonPlan.nextTag(plan, "opentrons")).isEqualTo("ot3@8.4.1");

        upstream.opentrons().tag("ot3@8.4.1", upstream.opentrons().head());
        upstream.opentrons().git("push", "--quiet", "--tags", "origin", "edge");
        upstream.firmware().tag("internal@v27", upstream.firmware().commit("fw: 27"));
        upstream.firmware().git("push", "--quiet", "--tags", "origin", "main");

        JsonNode second = new ObjectMapper().readTree(PlannerRun.run(args).out());

        assertThat(JsonPlan.repo(second, "opentrons").get("needs_tag").asBoolean()).isFalse();
        assertThat(JsonPlan.repo(second, "ot3-firmware").get("tip").asText()).isEqualTo(upstream.firmware().head());
        assertThat(JsonPlan.repo(second, "ot3-firmware").get("latest_tag").asText()).isEqualTo("internal@v27");
        assertThat(second.get("sync").toString()).contains("fast_forwarded");
    }

    @Test
    void noSyncPlansOfflineFromTheClonesAsTheyAreWhileSyncFailsWithAHint() throws Exception {
        Path ws = tmp.resolve("ws");
        flexNeedingAllTags(ws);
        Path config = tmp.resolve("remotes.properties");
        Files.writeString(config, "remote.default=" + tmp.resolve("offline").toUri() + "{repo}.git\n");

        PlannerRun offline = goFlexStable(ws, "--config", config.toString());
        List<String> online = new ArrayList<>(List.of("go", "--non-interactive", "--skip-assumptions",
                "--workspace", ws.toString(), "--config", config.toString(), "--path", "flex",
                "--release-type", "internal", "--stability", "stable", "--version", "8.5.0"));
        PlannerRun failed = PlannerRun.run(online.toArray(String[]::new));

        assertThat(offline.exitCode()).as(offline.err()).isZero();
        assertThat(offline.out()).contains("git tag -a ot3@8.5.0");
        assertThat(failed.exitCode()).isEqualTo(1);
        assertThat(failed.err()).contains("Sync of ot3-firmware failed").contains("--no-sync");
    }

    @Test
    void aMissingFlagWithoutATerminalIsAnErrorNamingTheFlag() {
        PlannerRun noTerminal = PlannerRun.run("go", "--no-sync", "--workspace", tmp.toString(),
                "--release-type", "internal", "--stability", "stable");
        PlannerRun nonInteractive = PlannerRun.run("go", "--non-interactive", "--no-sync", "--workspace", tmp.toString(),
                "--path", "ot2", "--release-type", "internal");

        assertThat(noTerminal.exitCode()).isEqualTo(2);
        assertThat(noTerminal.err()).contains("Missing --path (flex|ot2): no terminal is attached to ask");
        assertThat(nonInteractive.exitCode()).isEqualTo(2);
        assertThat(nonInteractive.err()).contains("Missing --stability (stable|alpha|beta): --non-interactive needs it");
    }

    @Test
    void onATerminalMissingFlagsArePromptedForAndTheInferredBaseIsOffered() {
        Path ws = tmp.resolve("ws");
        flexNeedingAllTags(ws);
        var terminal = new PlannerRun.ScriptedTerminal("flex", "internal", "beta", "unstable", "y", "");

        PlannerRun run = PlannerRun.run(terminal, "go", "--no-sync", "--workspace", ws.toString(), "--now", JsonPlan.NOW);

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(terminal.questions()).containsExactly("Robot stack [flex|ot2]: ", "Release type [internal|external]: ",
                "Stability [stable|unstable]: ", "Stability [stable|unstable]: ", "Continue? [Y/n]: ",
                "Base version X.Y.Z [8.4.0]: ");
        assertThat(run.err()).contains("Beta is not offered for Flex");
        assertThat(run.out()).contains("git tag -a ot3@8.4.0-alpha.0 -m 'chore(release): ot3@8.4.0-alpha.0'");
        assertThat(run.out()).contains("Assumptions (hide with --skip-assumptions)");
    }

    @Test
    void rejectsMalformedVersionAndClock() {
        PlannerRun version = PlannerRun.run("go", "--non-interactive", "--no-sync", "--workspace", tmp.toString(),
                "--path", "flex", "--release-type", "internal", "--stability", "stable", "--version", "8.5");
        PlannerRun clock = PlannerRun.run("go", "--non-interactive", "--no-sync", "--workspace", tmp.toString(),
                "--path", "ot2", "--release-type", "internal", "--stability", "stable", "--now", "tomorrow");

        assertThat(version.exitCode()).isEqualTo(2);
        assertThat(version.err()).contains("--version must look like X.Y.Z");
        assertThat(clock.exitCode()).isEqualTo(2);
        assertThat(clock.err()).contains("--now must be an ISO-8601 instant");
    }

    @Test
    void versionFlagOnTheToolPrintsItsOwnVersion() {
        PlannerRun run = PlannerRun.run("--version");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("roboflare-planner ").doesNotContain("${");
    }
}
