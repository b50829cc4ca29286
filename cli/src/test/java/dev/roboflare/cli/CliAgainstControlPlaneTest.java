package dev.roboflare.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roboflare.protocol.DeploymentStatus;
import dev.roboflare.testkit.ControlPlaneProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every command against the shipped control-plane jar, with robots played over the real agent API. */
class CliAgainstControlPlaneTest {
    private static final String MANIFEST = "{\"entrypoint\": [\"bin/app\"]}";
    private static final String ROLLED_BACK_DETAIL = "app exited with code 3 within the 30 s watch window; rolled "
            + "back to release 1.0.0, running as pid 4242\nlast output:\nfatal: cannot open /dev/ttyACM0";

    @TempDir
    static Path work;
    static ControlPlaneProcess cp;
    static CliRun cli;
    static int counter;

    @BeforeAll
    static void startControlPlane() throws Exception {
        cp = ControlPlaneProcess.start(work);
        cli = new CliRun(Map.of("ROBOFLARE_URL", cp.baseUrl(), "ROBOFLARE_TOKEN", cp.operatorToken()),
                Files.createDirectories(work.resolve("home")));
    }

    @AfterAll
    static void stop() throws Exception {
        if (cp != null) {
            cp.close();
        }
    }

    @Test
    void fleetRolloutIsWatchedUntilEveryRobotFinishesAndARollbackRedeploysThePreviousRelease() throws Exception {
        String v1 = release("lab-app", "1.0.0");
        String v2 = release("lab-app", "1.1.0");
        RobotSide flex1 = enroll("flex-1");
        RobotSide flex2 = enroll("flex-2");
        String fleetName = "bay-2";
        assertThat(cli.run("fleet", "create", fleetName, "flex-1").ok().out()).contains("1 robot: flex-1");
        assertThat(cli.run("fleet", "add", fleetName, "flex-2").ok().out()).contains("2 robots: flex-1, flex-2");

        CliRun.Result first = cli.run("deploy", "lab-app@1.0.0", "--fleet", fleetName).ok();
        assertThat(first.err()).containsPattern("Idempotency-Key: [0-9a-f-]{36}");
        assertThat(first.out()).contains("release 1.0.0 → fleet bay-2 (2 robots)");
        String d1 = deploymentId(first.out());
        flex1.reportOnly(DeploymentStatus.APPLIED, "applied release 1.0.0");
        flex2.reportOnly(DeploymentStatus.APPLIED, "applied release 1.0.0");
        CliRun.Result done = cli.run("status", d1, "--watch", "--interval", "200ms");
        assertThat(done.code()).as(done.toString()).isZero();
        assertThat(done.out()).contains("finished: 2 applied");

        String d2 = deploymentId(cli.run("deploy", v2, "--fleet", fleetName).ok().out());
        CompletableFuture<CliRun.Result> watching = CompletableFuture.supplyAsync(() ->
                cli.run("status", d2, "--watch", "--interval", "200ms"));
        Thread.sleep(1000); // the watcher sees both robots dispatched first
        flex1.reportOnly(DeploymentStatus.APPLIED, "applied release 1.1.0");
        flex2.reportOnly(DeploymentStatus.ROLLED_BACK, ROLLED_BACK_DETAIL);
        CliRun.Result watched = watching.get(120, TimeUnit.SECONDS);

        assertThat(watched.code()).as(watched.toString()).isEqualTo(Main.EXIT_DEPLOYMENT_FAILED);
        assertThat(watched.out()).contains("flex-1  dispatched", "flex-2  dispatched", "flex-1  applied",
                "flex-2  rolled_back  app exited with code 3", "finished: 1 applied, 1 rolled_back");
        CliRun.Result statusJson = cli.run("status", d2, "--json");
        assertThat(statusJson.code()).isEqualTo(Main.EXIT_DEPLOYMENT_FAILED);
        assertThat(statusJson.json().path("finished").asBoolean()).isTrue();
        assertThat(statusJson.json().path("counts").path("rolled_back").asInt()).isEqualTo(1);
        assertThat(statusJson.json().path("robots")).extracting(r -> r.path("robot_name").asText())
                .containsExactlyInAnyOrder("flex-1", "flex-2");

        CliRun.Result events = cli.run("events", d2).ok();
        assertThat(events.out()).contains("(fleet)", "flex-2", "rolled_back", "rolled back to release 1.0.0",
                "| last output: | fatal: cannot open /dev/ttyACM0");
        JsonNode eventsJson = cli.run("events", d2, "--json").ok().json();
        assertThat(eventsJson).hasSize(2 + 3 + 3); // parent queued+dispatched, each child queued+dispatched+outcome
        assertThat(eventsJson.get(eventsJson.size() - 1).path("detail").asText()).isIn(ROLLED_BACK_DETAIL,
                "applied release 1.1.0");

        CliRun.Result rollback = cli.run("rollback", fleetName).ok();
        assertThat(rollback.out()).contains("rolling back fleet bay-2 from 1.1.0 to 1.0.0");
        JsonNode d3 = cli.run("status", deploymentId(rollback.out()), "--json").json();
        assertThat(d3.path("deployment").path("release_id").asText()).isEqualTo(v1);
        assertThat(d3.path("deployment").path("target_kind").asText()).isEqualTo("fleet");
        assertThat(d3.path("finished").asBoolean()).isFalse();
    }

    @Test
    void robotRollbackSkipsAnAgentRolledBackReleaseAndGoesToTheOneBeforeWhatRuns() throws Exception {
        release("arm-app", "2.0.0");
        release("arm-app", "2.1.0");
        release("arm-app", "2.2.0");
        RobotSide arm = enroll("arm-3");
        for (String[] step : new String[][] {{"2.0.0", "applied"}, {"2.1.0", "applied"}, {"2.2.0", "rolled_back"}}) {
            cli.run("deploy", step[0], "--robot", "arm-3").ok();
            arm.reportOnly(DeploymentStatus.fromWire(step[1]), step[1] + " " + step[0]);
        }

        CliRun.Result rollback = cli.run("rollback", "arm-3").ok();

        assertThat(rollback.out()).contains("is rolled_back; the robot runs 2.1.0",
                "rolling back robot arm-3 from 2.1.0 to 2.0.0", "release 2.0.0 → robot arm-3");
        JsonNode robot = cli.run("robot", "list", "--json").ok().json();
        assertThat(robot.findValues("name").stream().map(JsonNode::asText)).contains("arm-3");
    }

    @Test
    void robotListShowsTheFirmwareApartFromTheAppItRuns() throws Exception {
        release("fw-lab-app", "3.7.0");
        release("mcu_firmware", "pipette-fw", "7.0.1");
        RobotSide bot = enroll("fw-bot");
        for (String release : new String[] {"fw-lab-app@3.7.0", "pipette-fw@7.0.1"}) {
            cli.run("deploy", release, "--robot", "fw-bot").ok();
            bot.reportOnly(DeploymentStatus.APPLIED, "applied " + release);
        }

        String row = cli.run("robot", "list").ok().out().lines().filter(l -> l.contains("fw-bot")).findFirst()
                .orElseThrow();

        assertThat(row).contains("3.7.0", "7.0.1");
        assertThat(row.indexOf("3.7.0")).as("CURRENT (the app) comes before FIRMWARE").isLessThan(row.indexOf("7.0.1"));
    }

    @Test
    void theSameIdempotencyKeyReturnsTheSameDeploymentAndAnotherBodyIsOneClearError() throws Exception {
        release("key-app", "1.0.0");
        release("key-app", "1.0.1");
        enroll("key-bot");
        String key = "retry-" + System.nanoTime();

        CliRun.Result a = cli.run("deploy", "key-app@1.0.0", "--robot", "key-bot", "--idempotency-key", key).ok();
        CliRun.Result b = cli.run("deploy", "key-app@1.0.0", "--robot", "key-bot", "--idempotency-key", key).ok();
        CliRun.Result c = cli.run("deploy", "key-app@1.0.1", "--robot", "key-bot", "--idempotency-key", key);

        assertThat(deploymentId(b.out())).isEqualTo(deploymentId(a.out()));
        assertThat(b.out()).contains("already existed for this key");
        assertThat(a.err()).contains("Idempotency-Key: " + key);
        assertThat(c.code()).isEqualTo(1);
        assertThat(c.err().lines().reduce((x, y) -> y).orElseThrow())
                .startsWith("roboflare: POST /api/deployments → 422")
                .contains("already used with a different body").doesNotContain("\n").doesNotContain("Exception");
    }

    @Test
    void aScheduledDeploymentStaysQueuedAndStatusWithoutWatchReturnsAtOnce() throws Exception {
        release("night-app", "3.0.0");
        enroll("night-bot");
        CliRun.Result d = cli.run("deploy", "3.0.0", "--robot", "night-bot", "--at", "2099-06-01T05:00:00+02:00",
                "--json").ok();
        assertThat(d.json().path("scheduled_at").asText()).isEqualTo("2099-06-01T03:00:00Z");
        assertThat(d.json().path("status").asText()).isEqualTo("queued");

        CliRun.Result status = cli.run("status", d.json().path("id").asText()).ok();
        assertThat(status.out()).contains("scheduled for 2099-06-01 03:00:00Z", "night-bot", "queued",
                "in progress: 1 queued");
        CliRun.Result timedOut = cli.run("status", d.json().path("id").asText(), "--watch", "--interval", "100ms",
                "--timeout", "1s");
        assertThat(timedOut.code()).isEqualTo(1);
        assertThat(timedOut.err()).contains("still has robots without an outcome after 1s: 1 queued");
        assertThat(cli.run("deploy", "3.0.0", "--robot", "night-bot", "--at", "tomorrow").code()).isEqualTo(2);
    }

    @Test
    void deployForceSaysSoAndTheDeploymentsFirstEventRecordsIt() throws Exception {
        release("busy-app", "4.0.0");
        enroll("busy-bot");
        CliRun.Result d = cli.run("deploy", "busy-app@4.0.0", "--robot", "busy-bot", "--force").ok();
        assertThat(d.out()).contains("forced (the robots skip their update gate)");
        JsonNode events = cli.run("events", deploymentId(d.out()), "--json").ok().json();
        assertThat(events.get(0).path("detail").asText())
                .isEqualTo("created; forced: the robot does not wait at its update gate");
    }

    @Test
    void statusShowsWhyARobotsUpdateGateHoldsItsDeploymentBackAndForHowLong() throws Exception {
        release("gated-app", "5.0.0");
        RobotSide solo = enroll("gated-solo");
        RobotSide member = enroll("gated-member");
        cli.run("fleet", "create", "gated-bay", "gated-member").ok();
        java.time.Instant since = java.time.Instant.now().minusSeconds(42 * 60 + 5);

        String robotDeployment = deploymentId(cli.run("deploy", "gated-app@5.0.0", "--robot", "gated-solo").ok().out());
        solo.dispatched();
        solo.pollGated(robotDeployment, "run abc running since 14:02", since);
        assertThat(cli.run("status", robotDeployment).ok().out()).containsPattern(
                "gated-solo +dispatched .*waiting: run abc running since 14:02 \\(42 min\\)");

        String fleetDeployment = deploymentId(cli.run("deploy", "gated-app@5.0.0", "--fleet", "gated-bay").ok().out());
        String child = member.dispatched().get(0).id();
        member.pollGated(child, "an app holds the update lock /run/roboflare/updates.lock", since);
        CliRun.Result watched = cli.run("status", fleetDeployment, "--watch", "--interval", "100ms", "--timeout",
                "1s");
        assertThat(watched.code()).as("still in progress: waiting is not an outcome").isEqualTo(1);
        assertThat(watched.out()).contains("gated-member  dispatched (waiting: an app holds the update lock "
                + "/run/roboflare/updates.lock (42 min))");
        assertThat(watched.out().lines().filter(l -> l.contains("gated-member"))).as("one line per wait").hasSize(1);
    }

    @Test
    void artifactPushIsStoredOnceAndReleaseCreateTakesAManifestFile() throws Exception {
        Path tarball = Files.write(work.resolve("push-app.tar.gz"), new byte[300_000]);
        CliRun.Result first = cli.run("artifact", "push", tarball.toString(), "--kind", "app_tarball").ok();
        CliRun.Result again = cli.run("artifact", "push", tarball.toString(), "--kind", "app_tarball", "--json").ok();

        assertThat(first.out()).contains(" uploaded: push-app (app_tarball), 293.0 KiB");
        assertThat(again.json().path("name").asText()).isEqualTo("push-app");
        assertThat(first.out()).contains(again.json().path("id").asText());
        Path manifest = Files.writeString(work.resolve("manifest.json"), MANIFEST);
        CliRun.Result release = cli.run("release", "create", "--artifact", again.json().path("id").asText(),
                "--semver", "0.9.0", "--manifest", "@" + manifest, "--json").ok();
        assertThat(release.json().path("manifest_json").path("entrypoint").get(0).asText()).isEqualTo("bin/app");
        assertThat(cli.run("release", "list").ok().out()).contains("0.9.0");
        CliRun.Result duplicate = cli.run("release", "create", "--artifact", again.json().path("id").asText(),
                "--semver", "0.9.0", "--manifest", MANIFEST);
        assertThat(duplicate.code()).isEqualTo(1);
        assertThat(duplicate.err()).startsWith("roboflare: POST /api/releases → 409 Conflict: release 0.9.0 of "
                + "'push-app' already exists");
    }

    @Test
    void robotEnrollPrintsTheTokenOnceAndTheAgentConfigLine() throws Exception {
        CliRun.Result r = cli.run("robot", "enroll", "ot2-9").ok();
        assertThat(r.out()).contains("robot ot2-9 enrolled", "shown only this once",
                "control-plane=" + cp.baseUrl());
        String token = r.out().lines().filter(l -> l.startsWith("  ") && !l.contains("=")).findFirst().orElseThrow()
                .strip();
        assertThat(new RobotSide(cp.baseUrl(), token).dispatched()).isEmpty();
    }

    @Test
    void serverAndConnectionErrorsAreOneLineWithExitCodeOne() throws Exception {
        Path home = Files.createDirectories(work.resolve("empty-home"));
        CliRun.Result unknown = cli.run("status", "no-such-deployment");
        CliRun.Result badToken = cli.run("robot", "list", "--token", "not-the-token");
        CliRun.Result noToken = new CliRun(Map.of("ROBOFLARE_URL", cp.baseUrl()), home).run("robot", "list");
        CliRun.Result down = new CliRun(Map.of("ROBOFLARE_URL", "http://127.0.0.1:9", "ROBOFLARE_TOKEN", "x"), home)
                .run("events", "d1");
        CliRun.Result unknownRobot = cli.run("deploy", "1.0.0", "--robot", "nobody");

        for (CliRun.Result r : new CliRun.Result[] {unknown, badToken, noToken, down, unknownRobot}) {
            assertThat(r.code()).as(r.toString()).isEqualTo(1);
            assertThat(r.err().strip()).as(r.toString()).startsWith("roboflare: ").doesNotContain("\n")
                    .doesNotContain("Exception");
        }
        assertThat(unknown.err()).contains("404 Not Found: no deployment with id 'no-such-deployment'");
        assertThat(badToken.err()).contains("401 Unauthorized: the bearer token is not the operator token");
        assertThat(noToken.err()).contains("no operator token");
        assertThat(down.err()).contains("cannot reach the control plane at http://127.0.0.1:9");
    }

    @Test
    void urlAndTokenComeFromTheConfigFileWhenNoFlagOrEnvironmentGivesThem() throws Exception {
        Path home = Files.createDirectories(work.resolve("configured-home"));
        Path config = Files.createDirectories(home.resolve(".config/roboflare")).resolve("config");
        Files.writeString(config, "# written by the test\nurl = " + cp.baseUrl() + "/\ntoken-file = "
                + cp.tokenFile() + "\n");
        CliRun fromConfig = new CliRun(Map.of(), home);

        assertThat(fromConfig.run("fleet", "list", "--json").ok().json().isArray()).isTrue();
        assertThat(fromConfig.run("fleet", "list", "--token", "wrong").code()).isEqualTo(1);
        Files.writeString(config, "colour = blue\n");
        assertThat(fromConfig.run("fleet", "list").err()).contains("unknown key 'colour'");
    }

    // --- helpers -------------------------------------------------------------------------------------------

    private static String release(String name, String semver) throws Exception {
        return release("app_tarball", name, semver);
    }

    private static String release(String kind, String name, String semver) throws Exception {
        Path file = Files.write(work.resolve(name + "-" + semver + ".tar.gz"), (name + semver).getBytes());
        String artifact = cli.run("artifact", "push", file.toString(), "--kind", kind, "--name", name,
                "--json").ok().json().path("id").asText();
        return cli.run("release", "create", "--artifact", artifact, "--semver", semver, "--notes", "test",
                "--manifest", MANIFEST, "--json").ok().json().path("id").asText();
    }

    private static RobotSide enroll(String name) {
        JsonNode creds = cli.run("robot", "enroll", name, "--json").ok().json();
        return new RobotSide(cp.baseUrl(), creds.path("token").asText());
    }

    private static String deploymentId(String out) {
        Matcher m = Pattern.compile("deployment ([0-9a-f-]{36})").matcher(out);
        if (!m.find()) {
            throw new AssertionError("no deployment id in:\n" + out);
        }
        return m.group(1);
    }
}
