package dev.roboflare.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roboflare.protocol.DeploymentStatus;
import dev.roboflare.protocol.OperatorApi;
import dev.roboflare.testkit.ControlPlaneProcess;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cellular link: the agent reaches the real control plane only through {@link FlakyProxy}, which drops, delays,
 * resets or truncates 30% of the connections (polls, event posts and artifact downloads alike). Ten deployments in
 * a row must each end with the right final event, and the control plane must hold every event exactly once.
 */
class FlakyLinkTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(180);

    @TempDir
    Path work;
    private ControlPlaneProcess cp;
    private FlakyProxy proxy;
    private AgentProcess agent;
    private final List<Path> pidFiles = new ArrayList<>();

    @AfterEach
    void stopEverything() throws Exception {
        if (agent != null) {
            agent.kill();
        }
        for (Path f : pidFiles) {
            AppPids.kill(f);
        }
        if (proxy != null) {
            proxy.close();
        }
        if (cp != null) {
            cp.close();
        }
    }

    @Test
    void tenDeploymentsThroughALinkThatFailsThirtyPercentOfConnectionsAllEndOnce() throws Exception {
        cp = ControlPlaneProcess.start(work);
        OperatorClient operator = new OperatorClient(cp.baseUrl(), cp.operatorToken());
        proxy = new FlakyProxy(URI.create(cp.baseUrl()).getPort(), 0.30, 20261123L);
        OperatorApi.RobotCredentials robot = operator.enrollRobot("cellular-1");
        Path token = AgentProcess.writeToken(work, robot.token());
        // whole downloads only, so the seeded faults cut some of them (Range resumes); the delta downloads over the
        // same flaky link are DeltaDownloadEndToEndTest's
        agent = AgentProcess.start(proxy.url(), token, work.resolve("state"), work.resolve("agent.log"), Map.of(),
                List.of("--max-backoff", "2s", "--chunk-cache", "0"));

        for (int i = 1; i <= 10; i++) {
            boolean crash = i % 4 == 0; // every fourth release is broken and must be rolled back
            Path pid = work.resolve("app-" + i + ".pid");
            pidFiles.add(pid);
            byte[] tarball = crash ? TestApps.crashingApp("1." + i + ".0")
                    : TestApps.healthyApp("1." + i + ".0", i % 2 == 0 ? 600 * 1024 : 64 * 1024);
            OperatorApi.Artifact a = operator.uploadArtifact("app_tarball", "cellular-app", tarball);
            String release = operator.createRelease(a.id(), "1." + i + ".0", TestApps.manifest(pid)).id();
            String deployment = operator.deployToRobot(release, robot.id()).id();

            List<OperatorApi.Event> events = operator.awaitFinal(deployment, TIMEOUT);

            DeploymentStatus expected = crash ? DeploymentStatus.ROLLED_BACK : DeploymentStatus.APPLIED;
            assertThat(events).as("deployment %d: %s", i, events).extracting(OperatorApi.Event::status)
                    .containsExactly(DeploymentStatus.QUEUED, DeploymentStatus.DISPATCHED, expected);
        }
        Thread.sleep(2000); // late retries of already delivered events would land now
        assertThat(agent.isAlive()).isTrue();
        String log = agent.logText();
        assertThat(log).doesNotContain("step=bug");
        assertThat(Files.list(work.resolve("state/outbox")).filter(p -> p.toString().endsWith(".json")))
                .as("every event was delivered").isEmpty();
        Map<FlakyProxy.Fate, Integer> fates = proxy.counts();
        System.out.println("flaky proxy connections: " + fates);
        assertThat(fates.values()).as("every kind of fault happened: " + fates).allMatch(n -> n > 0);
        assertThat(log).as("downloads were resumed after a cut").contains("resumed_from=");
    }
}
