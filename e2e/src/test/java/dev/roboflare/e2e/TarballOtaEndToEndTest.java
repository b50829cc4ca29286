package dev.roboflare.e2e;

import static dev.roboflare.e2e.OperatorClient.last;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roboflare.protocol.AgentApi;
import dev.roboflare.protocol.DeploymentStatus;
import dev.roboflare.protocol.OperatorApi;
import dev.roboflare.testkit.ControlPlaneProcess;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The walking skeleton as a user runs it: the shipped control-plane jar, the shipped agent jar and real app
 * processes, talking real HTTP on loopback.
 */
class TarballOtaEndToEndTest {
    private static final Duration DEPLOY_TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path work;
    private ControlPlaneProcess cp;
    private OperatorClient operator;
    private final List<AgentProcess> agents = new ArrayList<>();
    private final List<Path> pidFiles = new ArrayList<>();

    @BeforeEach
    void startControlPlane() throws Exception {
        cp = ControlPlaneProcess.start(work);
        operator = new OperatorClient(cp.baseUrl(), cp.operatorToken());
    }

    @AfterEach
    void stopEverything() throws Exception {
        for (AgentProcess a : agents) {
            a.kill();
        }
        for (Path pidFile : pidFiles) {
            AppPids.kill(pidFile);
        }
        cp.close();
    }

    @Test
    void goodReleaseIsAppliedAndACrashingOneIsRolledBackWithTheOldAppRunning() throws Exception {
        Robot robot = enrollWithAgent("flex-1", Map.of());
        Path pid1 = pidFile("app-1.0.0.pid");
        String r1 = release("1.0.0", TestApps.healthyApp("1.0.0", 0), pid1);

        List<OperatorApi.Event> first = operator.awaitFinal(operator.deployToRobot(r1, robot.id).id(), DEPLOY_TIMEOUT);
        assertThat(first).extracting(OperatorApi.Event::status).containsExactly(
                DeploymentStatus.QUEUED, DeploymentStatus.DISPATCHED, DeploymentStatus.APPLIED);
        long appliedPid = AppPids.awaitAlive(pid1);

        String r2 = release("1.1.0", TestApps.crashingApp("1.1.0"), pidFile("app-1.1.0.pid"));
        List<OperatorApi.Event> second = operator.awaitFinal(operator.deployToRobot(r2, robot.id).id(), DEPLOY_TIMEOUT);

        assertThat(last(second)).isEqualTo(DeploymentStatus.ROLLED_BACK);
        String detail = second.get(second.size() - 1).detail();
        assertThat(detail).contains("3").contains("cannot open /dev/ttyACM0");
        long restoredPid = AppPids.awaitAlive(pid1);
        assertThat(ProcessHandle.of(restoredPid).map(ProcessHandle::isAlive)).contains(true);
        assertThat(restoredPid).as("1.0.0 was stopped for the update and started again by the rollback")
                .isNotEqualTo(appliedPid);
        assertThat(ProcessHandle.of(appliedPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(Files.readSymbolicLink(robot.stateDir.resolve("current")).toString()).contains(r1);
        assertThat(operator.robot(robot.id).currentReleaseSemver()).isEqualTo("1.0.0");
    }

    @Test
    void appKeepsRunningWhileTheAgentIsKilledAndIsReadoptedNotStartedTwice() throws Exception {
        Robot robot = enrollWithAgent("flex-2", Map.of());
        Path pid = pidFile("app.pid");
        String r1 = release("2.0.0", TestApps.healthyApp("2.0.0", 0), pid);
        assertThat(last(operator.awaitFinal(operator.deployToRobot(r1, robot.id).id(), DEPLOY_TIMEOUT)))
                .isEqualTo(DeploymentStatus.APPLIED);
        long before = AppPids.awaitAlive(pid);

        robot.agent.kill();
        assertThat(ProcessHandle.of(before).map(ProcessHandle::isAlive)).contains(true);

        AgentProcess again = restartAgent(robot, Map.of());
        again.awaitLog("2.0.0", Duration.ofSeconds(20));
        Thread.sleep(2000); // several poll cycles: a wrongly restarted app would have replaced the PID by now
        assertThat(AppPids.read(pid)).contains(before);
        assertThat(ProcessHandle.of(before).map(ProcessHandle::isAlive)).contains(true);
    }

    @Test
    void artifactTamperedWithOnTheServerIsFailedAndNothingIsApplied() throws Exception {
        Robot robot = enrollWithAgent("ot2-1", Map.of());
        byte[] app = TestApps.healthyApp("3.0.0", 0);
        OperatorApi.Artifact artifact = operator.uploadArtifact("app_tarball", "lab-app", app);
        Path stored = storedFile(artifact.sha256());
        byte[] bytes = Files.readAllBytes(stored);
        bytes[bytes.length / 2] ^= 0x5a; // same size, different bytes: bit rot or tampering
        Files.write(stored, bytes);
        Path pid = pidFile("tampered.pid");
        String release = operator.createRelease(artifact.id(), "3.0.0", TestApps.manifest(pid)).id();

        List<OperatorApi.Event> events = operator.awaitFinal(operator.deployToRobot(release, robot.id).id(),
                DEPLOY_TIMEOUT);

        assertThat(last(events)).isEqualTo(DeploymentStatus.FAILED);
        assertThat(events.get(events.size() - 1).detail()).contains(artifact.sha256()).containsIgnoringCase("sha");
        assertThat(pid).doesNotExist();
        assertThat(robot.stateDir.resolve("current")).doesNotExist();
    }

    @Test
    void hostileTarballsAreFailedAndWriteNothingOutsideTheirReleaseDir() throws Exception {
        Robot robot = enrollWithAgent("ot2-2", Map.of());
        Path outside = Files.createDirectories(work.resolve("outside"));
        String marker = "roboflare-e2e-" + UUID.randomUUID();
        Path absolute = Path.of("/tmp", marker);
        record Case(String kind, String name, String link) {
        }
        List<Case> cases = List.of(
                new Case("file", "../../../../../../../../.." + outside + "/dotdot", null),
                new Case("file", absolute.toString(), null),
                new Case("symlink", "rootlink", "/"),
                new Case("symlink", "outlink", outside.toString()));
        int n = 0;
        for (Case c : cases) {
            n++;
            OperatorApi.Artifact a = operator.uploadArtifact("app_tarball", "hostile",
                    TestApps.hostile(c.kind, c.name, c.link));
            String release = operator.createRelease(a.id(), "0.0." + n, TestApps.manifest(pidFile("h" + n))).id();
            List<OperatorApi.Event> events = operator.awaitFinal(operator.deployToRobot(release, robot.id).id(),
                    DEPLOY_TIMEOUT);
            assertThat(last(events)).as(c.toString()).isEqualTo(DeploymentStatus.FAILED);
            assertThat(events.get(events.size() - 1).detail()).as(c.toString()).isNotBlank();
        }
        try (Stream<Path> written = Files.list(outside)) {
            assertThat(written).isEmpty();
        }
        assertThat(absolute).doesNotExist();
        assertThat(Path.of("/owned-through-link")).doesNotExist();
        assertThat(robot.stateDir.resolve("current")).doesNotExist();
        assertThat(robot.agent.isAlive()).as("a hostile tarball must not crash the agent").isTrue();
    }

    @Test
    void agentKilledMidDownloadFinishesTheDeploymentAfterRestart() throws Exception {
        Robot robot = enrollWithAgent("flex-3", Map.of("ROBOFLARE_AGENT_PAUSE_AT", "download"));
        Path pid = pidFile("big.pid");
        String release = release("4.0.0", TestApps.healthyApp("4.0.0", 8 * 1024 * 1024), pid);
        String deployment = operator.deployToRobot(release, robot.id).id();

        robot.agent.awaitLog("paused at download", DEPLOY_TIMEOUT);
        robot.agent.kill();
        assertThat(operator.events(deployment)).extracting(OperatorApi.Event::status)
                .containsExactly(DeploymentStatus.QUEUED, DeploymentStatus.DISPATCHED);

        restartAgent(robot, Map.of());
        List<OperatorApi.Event> events = operator.awaitFinal(deployment, DEPLOY_TIMEOUT);

        assertThat(events).extracting(OperatorApi.Event::status).containsExactly(
                DeploymentStatus.QUEUED, DeploymentStatus.DISPATCHED, DeploymentStatus.APPLIED);
        AppPids.awaitAlive(pid);
    }

    @Test
    void replayedEventIdAddsNoEvent() throws Exception {
        OperatorApi.RobotCredentials robot = operator.enrollRobot("replay");
        String release = release("5.0.0", TestApps.healthyApp("5.0.0", 0), pidFile("replay.pid"));
        String deployment = operator.deployToRobot(release, robot.id()).id();
        OperatorClient agentSide = new OperatorClient(cp.baseUrl(), robot.token());
        var event = new AgentApi.Event(UUID.randomUUID().toString(), DeploymentStatus.FAILED, "disk full");

        int firstStatus = agentSide.postJson("/api/agent/deployments/" + deployment + "/events", event).statusCode();
        int replayStatus = agentSide.postJson("/api/agent/deployments/" + deployment + "/events", event).statusCode();

        assertThat(firstStatus).isEqualTo(201);
        assertThat(replayStatus).isEqualTo(200);
        assertThat(operator.events(deployment)).extracting(OperatorApi.Event::status).containsExactly(
                DeploymentStatus.QUEUED, DeploymentStatus.DISPATCHED, DeploymentStatus.FAILED);
    }

    @Test
    void aRobotCannotSeeOrReportAnotherRobotsDeployments() throws Exception {
        OperatorApi.RobotCredentials a = operator.enrollRobot("robot-a");
        OperatorApi.RobotCredentials b = operator.enrollRobot("robot-b");
        String release = release("6.0.0", TestApps.healthyApp("6.0.0", 0), pidFile("iso.pid"));
        String forB = operator.deployToRobot(release, b.id()).id();
        OperatorClient asA = new OperatorClient(cp.baseUrl(), a.token());

        HttpResponse<String> listing = asA.send("GET", "/api/agent/deployments", HttpRequest.BodyPublishers.noBody());
        HttpResponse<String> report = asA.postJson("/api/agent/deployments/" + forB + "/events",
                new AgentApi.Event(UUID.randomUUID().toString(), DeploymentStatus.APPLIED, "forged"));

        assertThat(listing.statusCode()).isEqualTo(200);
        assertThat(OperatorClient.JSON.readValue(listing.body(), AgentApi.Poll.class).deployments()).isEmpty();
        assertThat(report.statusCode()).isIn(403, 404);
        assertThat(operator.events(forB)).extracting(OperatorApi.Event::status)
                .doesNotContain(DeploymentStatus.APPLIED);
        OperatorClient asB = new OperatorClient(cp.baseUrl(), b.token());
        assertThat(OperatorClient.JSON.readValue(asB.send("GET", "/api/agent/deployments",
                HttpRequest.BodyPublishers.noBody()).body(), AgentApi.Poll.class).deployments())
                .extracting(AgentApi.Deployment::id).containsExactly(forB);
    }

    @Test
    void deploymentWithoutIdempotencyKeyIsRejectedWithAClearProblem() throws Exception {
        OperatorApi.RobotCredentials robot = operator.enrollRobot("no-key");
        String release = release("7.0.0", TestApps.healthyApp("7.0.0", 0), pidFile("nokey.pid"));

        HttpResponse<String> response = operator.postJson("/api/deployments",
                new OperatorApi.CreateDeployment(release, dev.roboflare.protocol.TargetKind.ROBOT, robot.id(), null));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("application/problem+json"));
        JsonNode problem = OperatorClient.JSON.readTree(response.body());
        assertThat(problem.path("detail").asText()).contains("Idempotency-Key");
    }

    // --- helpers -------------------------------------------------------------------------------------------

    private static final class Robot {
        String id;
        Path stateDir;
        Path tokenFile;
        Path log;
        AgentProcess agent;
    }

    private Robot enrollWithAgent(String name, Map<String, String> env) throws Exception {
        OperatorApi.RobotCredentials creds = operator.enrollRobot(name);
        Robot r = new Robot();
        r.id = creds.id();
        Path home = Files.createDirectories(work.resolve(name));
        r.stateDir = home.resolve("state");
        r.tokenFile = AgentProcess.writeToken(home, creds.token());
        r.log = home.resolve("agent.log");
        r.agent = AgentProcess.start(cp.baseUrl(), r.tokenFile, r.stateDir, r.log, env);
        agents.add(r.agent);
        return r;
    }

    private AgentProcess restartAgent(Robot r, Map<String, String> env) throws IOException {
        r.agent = AgentProcess.start(cp.baseUrl(), r.tokenFile, r.stateDir, r.log, env);
        agents.add(r.agent);
        return r.agent;
    }

    private String release(String semver, byte[] tarball, Path pidFile) throws Exception {
        OperatorApi.Artifact a = operator.uploadArtifact("app_tarball", "lab-app", tarball);
        return operator.createRelease(a.id(), semver, TestApps.manifest(pidFile)).id();
    }

    private Path pidFile(String name) {
        Path p = work.resolve("pids").resolve(name);
        pidFiles.add(p);
        try {
            Files.createDirectories(p.getParent());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return p;
    }

    private Path storedFile(String sha256) throws IOException {
        try (Stream<Path> files = Files.walk(cp.dataDir())) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().contains(sha256))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no stored file named after " + sha256));
        }
    }
}
