package dev.roboflare.planner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roboflare.planner.cloudfront.DistributionLookup;
import dev.roboflare.planner.testing.FakeGitHub;
import dev.roboflare.planner.testing.FakeTime;
import dev.roboflare.planner.testing.PlannerRun;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import okhttp3.HttpUrl;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TrackBuildsCommandTest {
    private static final String TAG = "ot3@8.5.0-alpha.0";
    private static final Instant START = Instant.parse("2026-05-26T15:10:00Z");

    private FakeGitHub github;
    private FakeTime time;

    @BeforeEach
    void start() throws Exception {
        github = new FakeGitHub();
        time = new FakeTime(START);
    }

    @AfterEach
    void stop() throws Exception {
        github.close();
    }

    private PlannerServices services() {
        DistributionLookup unused = alias -> {
            throw new AssertionError("track-builds must not touch AWS");
        };
        return new PlannerServices(time, time, () -> Optional.of("test-token"), profile -> unused);
    }

    private PlannerRun track(String... extra) {
        List<String> args = new ArrayList<>(List.of("track-builds", "--non-interactive", "--github-api-url", github.url()));
        args.addAll(List.of(extra));
        return PlannerRun.run(services(), args.toArray(String[]::new));
    }

    /** The Flex pipeline of TAG: app + kickoff in opentrons, the robot OS dispatch in oe-core. */
    private void flexRuns() {
        github.run("Opentrons/opentrons", 11, "App test, build, and deploy", "push", TAG, "chore(release): " + TAG, "2026-05-26T15:00:05Z");
        github.run("Opentrons/opentrons", 12, "Start Flex build", "push", TAG, "chore(release): " + TAG, "2026-05-26T15:00:06Z");
        github.job(11, "js checks", "completed", "success");
        github.job(11, "build-app (macos-latest)", "completed", "success");
        github.job(11, "build-app (windows-2022)", "in_progress", null);
        github.job(11, "deploy-release-app", "queued", null);
        github.job(12, "spawn oe-core build", "completed", "success");
        // An older dispatch for another tag, one for alpha.0's longer cousin, and the real one.
        github.run("Opentrons/oe-core", 20, "Build refs/tags/ot3@8.5.0-alpha.0", "workflow_dispatch", "main",
                "Build refs/tags/ot3@8.5.0-alpha.0", "2026-05-26T14:00:00Z");
        github.run("Opentrons/oe-core", 21, "Build", "workflow_dispatch", "main",
                "Build refs/tags/ot3@8.5.0-alpha.01", "2026-05-26T15:00:30Z");
        github.run("Opentrons/oe-core", 22, "Build", "workflow_dispatch", "main",
                "Build for refs/tags/ot3@8.5.0-alpha.0", "2026-05-26T15:00:40Z");
        github.job(22, "build-ot3-image", "in_progress", null);
    }

    @Test
    void findsTheThreeRunsAcrossPagesAndPrintsKeyJobsAndTheSlackBlock() {
        github.pageSize(1);
        github.run("Opentrons/opentrons", 9, "JS tests", "push", TAG, "chore(release): " + TAG, "2026-05-26T15:00:01Z");
        flexRuns();
        github.jobsNotFoundFirst(22, 2);

        PlannerRun run = track("--path", "flex", "--tag", TAG);

        assertThat(run.exitCode()).as(run.err()).isZero();
        String out = run.out();
        assertThat(out).containsPattern("app +Opentrons/opentrons +App test, build, and deploy +in_progress +https://github.com/Opentrons/opentrons/actions/runs/11");
        assertThat(out).containsPattern("kickoff +Opentrons/opentrons +Start Flex build .*/actions/runs/12");
        assertThat(out).containsPattern("robot OS +Opentrons/oe-core .*/actions/runs/22");
        assertThat(out).containsPattern("app +deploy +deploy-release-app +queued");
        assertThat(out).containsPattern("app +desktop build +build-app \\(macos-latest\\) +completed \\(success\\)");
        assertThat(out).containsPattern("kickoff +dispatch spawn +spawn oe-core build");
        assertThat(out).containsPattern("robot OS +robot image build +build-ot3-image +in_progress");
        assertThat(out).doesNotContain("js checks");
        assertThat(out).contains("Slack (copy):\nFlex release `ot3@8.5.0-alpha.0` - app: https://github.com/Opentrons/opentrons/actions/runs/11"
                + " - flex: https://github.com/Opentrons/oe-core/actions/runs/22\n");
        // Pages followed through Link headers; the 404s of a fresh run were retried with the fake sleeper.
        assertThat(github.runListRequests("Opentrons/opentrons")).hasSize(3);
        assertThat(github.runListRequests("Opentrons/opentrons").get(0).queryParameter("branch")).isEqualTo(TAG);
        HttpUrl robotQuery = github.runListRequests("Opentrons/oe-core").get(0);
        assertThat(robotQuery.queryParameter("event")).isEqualTo("workflow_dispatch");
        assertThat(robotQuery.queryParameter("created")).isEqualTo(">=2026-05-26T15:00:06Z");
        assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(3), Duration.ofSeconds(3));
        RecordedRequest first = github.requests().get(0);
        assertThat(first.getHeader("Authorization")).isEqualTo("Bearer test-token");
        assertThat(first.getHeader("X-GitHub-Api-Version")).isEqualTo("2022-11-28");
    }

    @Test
    void missingRobotOsRunTimesOutWithExitTwoWithoutReallyWaiting() {
        flexRuns();
        github.runsAppearAfter("Opentrons/oe-core", Integer.MAX_VALUE);

        long began = System.nanoTime();
        PlannerRun run = track("--path", "flex", "--tag", TAG, "--wait");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofSeconds(20));
        assertThat(time.slept()).isEqualTo(Duration.ofSeconds(900));
        assertThat(time.sleeps()).allMatch(d -> d.equals(Duration.ofSeconds(15)));
        assertThat(github.runListRequests("Opentrons/oe-core")).hasSize(61);
        assertThat(run.err()).contains("after 900 s, still missing: robot OS run(s) of " + TAG);
        assertThat(run.out()).contains("robot OS  Opentrons/oe-core", "not found",
                "Flex release `ot3@8.5.0-alpha.0` - app: https://github.com/Opentrons/opentrons/actions/runs/11 - flex: (run not found yet)");
        // Jobs of the runs that exist are still shown.
        assertThat(run.out()).contains("deploy-release-app");
    }

    @Test
    void waitPollsAtTheGivenIntervalUntilTheRunsAppear() {
        flexRuns();
        github.runsAppearAfter("Opentrons/opentrons", 2);

        PlannerRun run = track("--tag", TAG, "--wait", "--poll-interval", "20", "--timeout", "300");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(20), Duration.ofSeconds(20));
        assertThat(run.err()).contains("waiting for the app, kickoff, robot OS run(s) of " + TAG);
    }

    @Test
    void withoutWaitAMissingRunIsExitTwoAfterOneLook() {
        PlannerRun run = track("--path", "flex", "--tag", TAG);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(time.sleeps()).isEmpty();
        assertThat(run.err()).contains("still missing: app, kickoff, robot OS", "add --wait");
        assertThat(github.runListRequests("Opentrons/oe-core")).isEmpty();
    }

    @Test
    void rateLimitsAreWaitedOutUntilTheResetHeader() {
        flexRuns();
        long reset = START.plusSeconds(42).getEpochSecond();
        github.rateLimitedNext(new MockResponse().setResponseCode(403).setHeader("x-ratelimit-remaining", "0")
                .setHeader("x-ratelimit-reset", Long.toString(reset))
                .setBody("{\"message\":\"API rate limit exceeded\"}"));
        github.rateLimitedNext(new MockResponse().setResponseCode(429).setHeader("retry-after", "7")
                .setBody("{\"message\":\"secondary rate limit\"}"));

        PlannerRun run = track("--path", "flex", "--tag", TAG, "--json");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(43), Duration.ofSeconds(7));
        assertThat(run.err()).contains("GitHub rate limit reached (HTTP 403): waiting 43 s",
                "GitHub rate limit reached (HTTP 429): waiting 7 s");
        JsonNode json = read(run.out());
        assertThat(json.path("complete").asBoolean()).isTrue();
        assertThat(json.path("runs").path("robot_os").path("id").asLong()).isEqualTo(22);
    }

    @Test
    void aForbiddenWithoutRateLimitHeadersIsAnErrorNotAWait() {
        github.rateLimitedNext(new MockResponse().setResponseCode(403).setHeader("x-ratelimit-remaining", "4999")
                .setBody("{\"message\":\"Resource not accessible by integration\"}"));

        PlannerRun run = track("--path", "flex", "--tag", TAG);

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("HTTP 403: Resource not accessible by integration");
        assertThat(time.sleeps()).isEmpty();
    }

    @Test
    void ot2IsInferredFromTheTagAndUsesBuildrootAndItsOwnSlackLabel() {
        String tag = "internal@26.5.2601";
        github.run("Opentrons/opentrons-ot2", 31, "App test, build, and deploy", "push", tag, "t", "2026-05-26T15:00:05Z");
        github.run("Opentrons/opentrons-ot2", 32, "Start OT-2 build", "push", tag, "t", "2026-05-26T15:00:06Z");
        github.run("Opentrons/buildroot", 41, "Build", "workflow_dispatch", "opentrons-develop",
                "Build refs/tags/internal@26.5.2601", "2026-05-26T15:00:20Z");
        github.job(41, "build", "completed", "success");

        PlannerRun run = track("--tag", tag);

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("OT-2 release `internal@26.5.2601` - app: https://github.com/Opentrons/opentrons-ot2/actions/runs/31"
                + " - ot2: https://github.com/Opentrons/buildroot/actions/runs/41");
    }

    @Test
    void anExternalTagNeedsPath() {
        PlannerRun run = track("--tag", "v8.5.0");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("pass --path flex|ot2");
    }

    private static JsonNode read(String text) {
        try {
            return new ObjectMapper().readTree(text);
        } catch (Exception e) {
            throw new AssertionError(text, e);
        }
    }
}
