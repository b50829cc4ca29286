package dev.roboflare.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roboflare.agent.gate.UpdateGate;
import dev.roboflare.agent.launcher.ProcStat;
import dev.roboflare.agent.state.AgentState;
import dev.roboflare.agent.state.AppRecord;
import dev.roboflare.agent.state.StateStore;
import dev.roboflare.agent.testing.FakeControlPlane;
import dev.roboflare.protocol.AgentApi;
import dev.roboflare.protocol.ArtifactKind;
import dev.roboflare.protocol.DeploymentStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The update gate in the whole agent loop: a real flock(1) process holding the update lock, a real busy command,
 * a maintenance window that opens during the test. The old app must stay untouched while the robot is busy.
 */
class UpdateGateLoopTest {
    @TempDir
    Path state;
    @TempDir
    Path tmp;
    final AgentLoopTest loop = new AgentLoopTest();
    final List<Process> holders = new ArrayList<>();
    Path lock;

    @BeforeEach
    void setUp() throws IOException {
        loop.state = state;
        loop.setUp();
        lock = tmp.resolve("updates.lock");
    }

    @AfterEach
    void tearDown() throws Exception {
        holders.forEach(p -> {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        });
        loop.tearDown();
    }

    static UpdateGate.Config config(Path lock, String busyCommand, List<String> windows, Duration maxDefer) {
        return new UpdateGate.Config(lock, busyCommand, null, null, null, windows, Duration.ZERO, maxDefer);
    }

    /**
     * An app's critical section: flock(1) holding the lock (shared or exclusive) until it is killed (-o: the sleep
     * it runs does not inherit the lock, so killing flock releases it).
     */
    Process holdLock(String mode) throws Exception {
        Process p = new ProcessBuilder("flock", "-o", mode, lock.toString(), "sleep", "300").start();
        holders.add(p);
        AgentLoopTest.waitUntil(() -> !tryLock("-x"));
        return p;
    }

    /** What an app does before a critical section: a non-blocking flock; true when it got it. */
    boolean tryLock(String mode) {
        try {
            return new ProcessBuilder("flock", "-n", mode, lock.toString(), "true").start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    String phase() {
        try {
            AgentState s = new StateStore(state).load();
            return s.inFlight() == null ? null : s.inFlight().phase();
        } catch (IOException e) {
            return null;
        }
    }

    /** The last poll's gate wait for this deployment, if it said the robot waits at the gate. */
    AgentApi.Waiting waitingReported(String deploymentId) {
        synchronized (loop.cp.progress) {
            for (int i = loop.cp.progress.size() - 1; i >= 0; i--) {
                if (loop.cp.progress.get(i).equals(deploymentId + " gated")) {
                    return AgentApi.Waiting.parse(loop.cp.waiting.get(i));
                }
            }
        }
        return null;
    }

    String applyFirst() throws Exception {
        String first = loop.cp.deploy("1.0.0", ArtifactKind.APP_TARBALL, "demo-app", AgentLoopTest.goodApp("one"),
                AgentLoopTest.RUNS);
        loop.startAgent();
        assertThat(loop.finalEvent(first).status()).isEqualTo(DeploymentStatus.APPLIED);
        return first;
    }

    @Test
    void aDeploymentWaitsDownloadedWhileAnAppHoldsTheLockAndAppliesOnceItIsReleased() throws Exception {
        loop.gate = new UpdateGate(config(lock, null, List.of(), null));
        applyFirst();
        AppRecord old = loop.runningApp();
        Process app = holdLock("-s");
        String second = loop.cp.deploy("2.0.0", ArtifactKind.APP_TARBALL, "demo-app", AgentLoopTest.goodApp("two"),
                AgentLoopTest.RUNS);
        AgentLoopTest.waitUntil(() -> "gate".equals(phase()));
        Thread.sleep(1000); // ten polls while busy
        assertThat(phase()).isEqualTo("gate");
        assertThat(loop.cp.eventsFor(second)).isEmpty();
        assertThat(state.resolve("releases/rel-2-0-0/bin/app")).as("downloaded and extracted").exists();
        assertThat(Files.readSymbolicLink(state.resolve("current"))).isEqualTo(Path.of("releases/rel-1-0-0"));
        assertThat(ProcStat.alive(old.pid(), old.startTime())).as("the old app untouched").isTrue();
        assertThat(loop.log.text()).contains("step=gate outcome=waiting")
                .contains("an app holds the update lock " + lock);
        assertThat(loop.log.text().lines().filter(l -> l.contains("outcome=waiting"))).hasSize(1);
        AgentLoopTest.waitUntil(() -> waitingReported(second) != null);
        AgentApi.Waiting w = waitingReported(second);
        assertThat(w.reason()).isEqualTo("an app holds the update lock " + lock);
        assertThat(w.since()).isBetween(Instant.now().minusSeconds(60), Instant.now());
        int polledWhileBusy = loop.cp.progress.size();

        app.descendants().forEach(ProcessHandle::destroy);
        app.destroy();
        app.waitFor(10, TimeUnit.SECONDS);
        AgentLoopTest.waitUntil(() -> "watch".equals(phase()));
        assertThat(tryLock("-s")).as("the agent holds the update lock during the watch").isFalse();
        FakeControlPlane.Received ev = loop.finalEvent(second);
        assertThat(ev.status()).isEqualTo(DeploymentStatus.APPLIED);
        assertThat(loop.log.text()).contains("step=gate outcome=free waited=");
        int polls = loop.cp.polls;
        AgentLoopTest.waitUntil(() -> loop.cp.polls > polls + 1);
        synchronized (loop.cp.progress) { // every poll at the gate said why; once it opened, none says waiting
            int lastGated = loop.cp.progress.lastIndexOf(second + " gated");
            assertThat(lastGated).isGreaterThanOrEqualTo(polledWhileBusy - 1).isLessThan(loop.cp.progress.size() - 1);
            for (int i = 0; i < loop.cp.progress.size(); i++) {
                assertThat(loop.cp.waiting.get(i)).as("poll " + i + ": " + loop.cp.progress.get(i))
                        .matches(loop.cp.progress.get(i).endsWith(" gated") ? "\\d+ an\\+app.*" : "");
            }
        }
        assertThat(ProcStat.alive(old.pid(), old.startTime())).isFalse();
        AgentLoopTest.waitUntil(() -> tryLock("-x")); // let go after the deployment
    }

    @Test
    void stillBusyAfterMaxDeferFailsWithTheReasonAndDisturbsNothing() throws Exception {
        loop.gate = new UpdateGate(config(lock, "echo 'run abc running since 14:02'; exit 75", List.of(),
                Duration.ofSeconds(1)));
        String dep = loop.cp.deploy("1.0.0", ArtifactKind.APP_TARBALL, "demo-app", AgentLoopTest.goodApp("one"),
                AgentLoopTest.RUNS);
        loop.startAgent();
        FakeControlPlane.Received ev = loop.finalEvent(dep);
        assertThat(ev.status()).isEqualTo(DeploymentStatus.FAILED);
        assertThat(ev.detail()).startsWith("the robot stayed busy for 1s (run abc running since 14:02); nothing was "
                + "changed on it");
        assertThat(state.resolve("current")).doesNotExist();
        assertThat(loop.runningApp()).isNull();
    }

    @Test
    void aForcedDeploymentSkipsTheGate() throws Exception {
        loop.gate = new UpdateGate(config(lock, null, List.of(), null));
        applyFirst();
        holdLock("-x");
        String second = loop.cp.deploy("2.0.0", ArtifactKind.APP_TARBALL, "demo-app", AgentLoopTest.goodApp("two"),
                AgentLoopTest.RUNS);
        AgentLoopTest.waitUntil(() -> "gate".equals(phase()));
        loop.cp.force(second);
        assertThat(loop.finalEvent(second).status()).isEqualTo(DeploymentStatus.APPLIED);
        assertThat(loop.log.text()).contains("release=2.0.0 step=gate outcome=forced");
    }

    @Test
    void aDeploymentWithdrawnWhileWaitingEndsThereAndTheNextOneRuns() throws Exception {
        loop.gate = new UpdateGate(config(lock, null, List.of(), null));
        applyFirst();
        AppRecord old = loop.runningApp();
        holdLock("-s");
        String waiting = loop.cp.deploy("2.0.0", ArtifactKind.APP_TARBALL, "demo-app", AgentLoopTest.goodApp("two"),
                AgentLoopTest.RUNS);
        AgentLoopTest.waitUntil(() -> "gate".equals(phase()));
        loop.cp.withdraw(waiting); // superseded by a forced deployment of 3.0.0
        String forced = loop.cp.deploy("3.0.0", ArtifactKind.APP_TARBALL, "demo-app", AgentLoopTest.goodApp("three"),
                AgentLoopTest.RUNS);
        loop.cp.force(forced);
        assertThat(loop.finalEvent(forced).status()).isEqualTo(DeploymentStatus.APPLIED);
        assertThat(loop.log.text()).contains("release=2.0.0 step=gate outcome=withdrawn");
        assertThat(loop.runningApp().releaseId()).isEqualTo("rel-3-0-0");
        assertThat(ProcStat.alive(old.pid(), old.startTime())).isFalse();
    }

    @Test
    void theSwitchWaitsForTheMaintenanceWindowToOpen() throws Exception {
        DateTimeFormatter hms = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);
        Instant opens = Instant.now().plusSeconds(3).truncatedTo(ChronoUnit.SECONDS);
        String window = hms.format(opens) + "-" + hms.format(opens.plus(Duration.ofHours(1))) + " UTC";
        loop.gate = new UpdateGate(config(null, null, List.of(window), null));
        String dep = loop.cp.deploy("1.0.0", ArtifactKind.APP_TARBALL, "demo-app", AgentLoopTest.goodApp("one"),
                AgentLoopTest.RUNS);
        loop.startAgent();
        AgentLoopTest.waitUntil(() -> "gate".equals(phase()));
        assertThat(loop.log.text()).contains("outside the maintenance window '" + window + "'");
        assertThat(loop.finalEvent(dep).status()).isEqualTo(DeploymentStatus.APPLIED);
        Instant switched = Files.getLastModifiedTime(state.resolve("current"), LinkOption.NOFOLLOW_LINKS)
                .toInstant(); // the switch made the link
        assertThat(switched).isAfterOrEqualTo(opens);
    }
}
