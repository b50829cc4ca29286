package dev.roboflare.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roboflare.protocol.AgentApi;
import dev.roboflare.protocol.DeploymentStatus;
import dev.roboflare.protocol.OperatorApi;
import dev.roboflare.testkit.ControlPlaneProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 22 with the shipped jars: a robot whose run is going on (its --busy-command says so) keeps the release
 * downloaded and its deployment dispatched, and the operator sees why and since when in the robot's progress, the
 * same after a kill -9 of the agent; once the run ends the update goes through and the wait is gone.
 */
class UpdateGateEndToEndTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    @TempDir
    static Path work;
    private static ControlPlaneProcess cp;
    private static OperatorClient operator;
    private static AgentProcess agent;

    @BeforeAll
    static void startControlPlane() throws Exception {
        cp = ControlPlaneProcess.start(work);
        operator = new OperatorClient(cp.baseUrl(), cp.operatorToken());
    }

    @AfterAll
    static void stopEverything() throws Exception {
        if (agent != null) {
            agent.kill();
        }
        try (var files = Files.list(Files.createDirectories(work.resolve("pids")))) {
            files.forEach(AppPids::kill);
        }
        cp.close();
    }

    @Test
    void theOperatorSeesWhyTheRobotWaitsUntilTheRunEndsAndThenTheUpdateGoesThrough() throws Exception {
        OperatorApi.RobotCredentials robot = operator.enrollRobot("flex-gated");
        Path token = AgentProcess.writeToken(work, robot.token());
        Path run = work.resolve("run-in-progress");
        Files.writeString(run, "");
        List<String> busy = List.of("--busy-command", "if [ -e " + run + " ]; then echo 'run abc running since "
                + "14:02'; exit 75; fi; exit 0");
        Path log = work.resolve("agent.log");
        agent = AgentProcess.start(cp.baseUrl(), token, work.resolve("state"), log, Map.of(), busy);
        Path pid = Files.createDirectories(work.resolve("pids")).resolve("gated-1.0.0.pid");
        OperatorApi.Artifact a = operator.uploadArtifact("app_tarball", "gated-app",
                TestApps.healthyApp("gated 1.0.0", 0));
        String release = operator.createRelease(a.id(), "1.0.0", TestApps.manifest(pid)).id();
        String deployment = operator.deployToRobot(release, robot.id()).id();

        AgentApi.Waiting waiting = awaitWaiting(robot.id());
        assertThat(waiting.reason()).isEqualTo("run abc running since 14:02");
        assertThat(waiting.since()).isBetween(Instant.now().minusSeconds(90), Instant.now());
        OperatorApi.Robot seen = operator.robot(robot.id());
        assertThat(seen.progress().deploymentId()).isEqualTo(deployment);
        assertThat(seen.progress().phase()).isEqualTo("gated");
        assertThat(seen.progress().text()).startsWith("waiting: run abc running since 14:02 (");
        assertThat(operator.events(deployment)).as("presence, not a status").extracting(OperatorApi.Event::status)
                .containsExactly(DeploymentStatus.QUEUED, DeploymentStatus.DISPATCHED);
        assertThat(Files.exists(pid)).as("nothing started while the run goes on").isFalse();

        agent.kill(); // a power cut while gated: it resumes at the gate, and the wait keeps its start
        agent = AgentProcess.start(cp.baseUrl(), token, work.resolve("state"), log, Map.of(), busy);
        agent.awaitLog("the agent restarted during this phase", TIMEOUT);
        Thread.sleep(1500); // a few polls of the restarted agent
        AgentApi.Waiting again = awaitWaiting(robot.id());
        assertThat(again.since()).isEqualTo(waiting.since());

        Files.delete(run); // the run ended
        assertThat(OperatorClient.last(operator.awaitFinal(deployment, TIMEOUT))).isEqualTo(DeploymentStatus.APPLIED);
        assertThat(AppPids.alive(AppPids.awaitAlive(pid))).isTrue();
        assertThat(operator.robot(robot.id()).progress()).as("nothing waits any more").isNull();
        assertThat(agent.logText()).contains("step=gate outcome=waiting", "step=gate outcome=free waited=");
    }

    private static AgentApi.Waiting awaitWaiting(String robotId) throws Exception {
        Instant deadline = Instant.now().plus(TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            AgentApi.Progress p = operator.robot(robotId).progress();
            if (p != null && p.waiting() != null) {
                return p.waiting();
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the robot's progress never said it waits:\n" + agent.logText());
    }
}
