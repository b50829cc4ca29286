package dev.roboflare.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roboflare.protocol.DeploymentStatus;
import dev.roboflare.protocol.OperatorApi;
import dev.roboflare.testkit.ControlPlaneProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The crash matrix: for every persisted phase, the shipped agent jar is SIGKILLed right after it persisted that
 * phase (test hook {@code ROBOFLARE_AGENT_PAUSE_AT}), started again on the same state, and must end the
 * deployment with the right final event, exactly one app running, and each event exactly once at the real
 * control plane. Every robot first gets a healthy 1.0.0, so there is an old app to stop and to roll back to.
 */
class CrashMatrixTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    @TempDir
    static Path work;
    private static ControlPlaneProcess cp;
    private static OperatorClient operator;
    private static String base;
    private static String healthy;
    private static String crashing;
    private static final List<AgentProcess> agents = new ArrayList<>();
    private static final List<Path> pidFiles = new ArrayList<>();

    @BeforeAll
    static void startControlPlane() throws Exception {
        cp = ControlPlaneProcess.start(work);
        operator = new OperatorClient(cp.baseUrl(), cp.operatorToken());
    }

    @AfterAll
    static void stopEverything() throws Exception {
        for (AgentProcess a : agents) {
            a.kill();
        }
        try (var files = Files.list(Files.createDirectories(work.resolve("pids")))) {
            files.forEach(AppPids::kill);
        }
        cp.close();
    }

    @ParameterizedTest(name = "killed at {0}")
    @ValueSource(strings = {"check", "download", "verify", "extract", "gate", "switch", "watch", "commit", "rollback", "cleanup",
            "report"})
    void killedAtAPhaseTheDeploymentStillEndsOnceWithOneAppRunning(String phase) throws Exception {
        Path home = Files.createDirectories(work.resolve(phase));
        OperatorApi.RobotCredentials robot = operator.enrollRobot("crash-" + phase);
        Path token = AgentProcess.writeToken(home, robot.token());
        Path state = home.resolve("state");
        Path log = home.resolve("agent.log");
        Path oldPid = pids(phase + "-1.0.0.pid");
        Path newPid = pids(phase + "-1.1.0.pid");

        AgentProcess first = start(token, state, log, Map.of());
        String r1 = release(phase, "1.0.0", TestApps.healthyApp(phase + " 1.0.0", 0), oldPid);
        assertThat(OperatorClient.last(operator.awaitFinal(operator.deployToRobot(r1, robot.id()).id(), TIMEOUT)))
                .isEqualTo(DeploymentStatus.APPLIED);
        long oldApp = AppPids.awaitAlive(oldPid);
        first.kill();

        boolean rollback = phase.equals("rollback");
        String r2 = rollback ? release(phase, "1.1.0", TestApps.crashingApp(phase + " 1.1.0"), newPid)
                : release(phase, "1.1.0", TestApps.healthyApp(phase + " 1.1.0", 256 * 1024), newPid);
        AgentProcess paused = start(token, state, log, Map.of("ROBOFLARE_AGENT_PAUSE_AT", phase));
        String deployment = operator.deployToRobot(r2, robot.id()).id();
        paused.awaitLog("test hook: paused at " + phase, TIMEOUT);
        paused.kill();

        start(token, state, log, Map.of());
        List<OperatorApi.Event> events = operator.awaitFinal(deployment, TIMEOUT);

        DeploymentStatus expected = rollback ? DeploymentStatus.ROLLED_BACK : DeploymentStatus.APPLIED;
        assertThat(events).as("each event exactly once at the control plane")
                .extracting(OperatorApi.Event::status)
                .containsExactly(DeploymentStatus.QUEUED, DeploymentStatus.DISPATCHED, expected);
        assertThat(events).extracting(OperatorApi.Event::eventId).doesNotHaveDuplicates();
        Thread.sleep(1500); // a few poll cycles: a late duplicate or a second app start would show now
        assertThat(operator.events(deployment)).hasSize(3);
        if (rollback) {
            long restored = AppPids.awaitAlive(oldPid);
            assertThat(AppPids.alive(restored)).isTrue();
            assertThat(AppPids.read(newPid)).as("the crashing release never wrote a pid").isEmpty();
        } else {
            long running = AppPids.awaitAlive(newPid);
            assertThat(AppPids.alive(running)).isTrue();
            assertThat(AppPids.alive(oldApp)).as("1.0.0 was stopped by the switch").isFalse();
            assertThat(AppPids.read(oldPid).map(AppPids::alive).orElse(false))
                    .as("exactly one app runs: 1.0.0 was not started again").isFalse();
        }
        assertThat(Files.readString(log)).doesNotContain("step=bug");
    }

    /**
     * state.json truncated to half while the agent is down at a phase (disk damage): the agent rebuilds its state from
     * the disk and reports the deployment failed with the phase its traces show, never redoing it; at check nothing
     * was left on the disk, so the deployment simply runs.
     */
    @ParameterizedTest(name = "state.json lost at {0}")
    @ValueSource(strings = {"check", "download", "verify", "extract", "switch", "watch", "commit", "rollback", "cleanup",
            "report"})
    void stateLostAtAPhaseIsReportedFailedWithThePhaseNotRedone(String phase) throws Exception {
        Path home = Files.createDirectories(work.resolve("lost-" + phase));
        OperatorApi.RobotCredentials robot = operator.enrollRobot("lost-" + phase);
        Path token = AgentProcess.writeToken(home, robot.token());
        Path state = home.resolve("state");
        Path log = home.resolve("agent.log");
        AgentProcess first = start(token, state, log, Map.of());
        String r1 = release("lost-" + phase, "1.0.0", TestApps.healthyApp("lost " + phase + " 1.0.0", 0),
                pids("lost-" + phase + "-1.0.0.pid"));
        assertThat(OperatorClient.last(operator.awaitFinal(operator.deployToRobot(r1, robot.id()).id(), TIMEOUT)))
                .isEqualTo(DeploymentStatus.APPLIED);
        first.kill();
        Path newPid = pids("lost-" + phase + "-1.1.0.pid");
        String r2 = phase.equals("rollback")
                ? release("lost-" + phase, "1.1.0", TestApps.crashingApp("lost " + phase + " 1.1.0"), newPid)
                : release("lost-" + phase, "1.1.0", TestApps.healthyApp("lost " + phase + " 1.1.0", 256 * 1024), newPid);
        AgentProcess paused = start(token, state, log, Map.of("ROBOFLARE_AGENT_PAUSE_AT", phase));
        String deployment = operator.deployToRobot(r2, robot.id()).id();
        paused.awaitLog("test hook: paused at " + phase, TIMEOUT);
        paused.kill();
        byte[] json = Files.readAllBytes(state.resolve("state.json"));
        Files.write(state.resolve("state.json"), java.util.Arrays.copyOf(json, json.length / 2));

        start(token, state, log, Map.of());
        List<OperatorApi.Event> events = operator.awaitFinal(deployment, TIMEOUT);

        if (phase.equals("check")) {
            assertThat(OperatorClient.last(events)).isEqualTo(DeploymentStatus.APPLIED);
        } else {
            assertThat(OperatorClient.last(events)).isEqualTo(DeploymentStatus.FAILED);
            assertThat(events.get(events.size() - 1).detail()).startsWith("agent state was lost during phase ");
        }
        assertThat(events).extracting(OperatorApi.Event::eventId).doesNotHaveDuplicates();
        String agentLog = Files.readString(log);
        assertThat(agentLog).contains("outcome=corrupt").contains("outcome=rebuilt").doesNotContain("step=bug");
    }

    private static AgentProcess start(Path token, Path state, Path log, Map<String, String> env) throws IOException {
        AgentProcess a = AgentProcess.start(cp.baseUrl(), token, state, log, env);
        agents.add(a);
        return a;
    }

    /** Each phase's robot runs its own app name, so releases and artifacts do not collide across the matrix. */
    private static String release(String app, String semver, byte[] tarball, Path pidFile) throws Exception {
        OperatorApi.Artifact a = operator.uploadArtifact("app_tarball", "app-" + app, tarball);
        return operator.createRelease(a.id(), semver, TestApps.manifest(pidFile)).id();
    }

    private static Path pids(String name) throws IOException {
        Path p = Files.createDirectories(work.resolve("pids")).resolve(name);
        pidFiles.add(p);
        return p;
    }
}
