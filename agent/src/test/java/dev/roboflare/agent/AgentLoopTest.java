package dev.roboflare.agent;

import dev.roboflare.agent.delta.DeltaDownloads;
import dev.roboflare.agent.executor.container.ExecutorSelection;
import static org.assertj.core.api.Assertions.assertThat;

import dev.roboflare.agent.client.ControlPlaneClient;
import dev.roboflare.agent.deploy.DeployContext;
import dev.roboflare.agent.deploy.DeploymentMachine;
import dev.roboflare.agent.deploy.PauseHook;
import dev.roboflare.agent.deploy.SelfUpdateGuard;
import dev.roboflare.agent.download.ArtifactDownloader;
import dev.roboflare.agent.gate.UpdateGate;
import dev.roboflare.agent.preflight.DiskPreflight;
import dev.roboflare.agent.state.AppRecord;
import dev.roboflare.agent.launcher.DetachedProcessLauncher;
import dev.roboflare.agent.launcher.ProcStat;
import dev.roboflare.agent.outbox.Outbox;
import dev.roboflare.agent.state.AgentState;
import dev.roboflare.agent.state.StateStore;
import dev.roboflare.agent.testing.FakeControlPlane;
import dev.roboflare.agent.testing.LogCapture;
import dev.roboflare.agent.testing.Tarballs;
import dev.roboflare.agent.trust.ReleaseTrust;
import dev.roboflare.protocol.ArtifactKind;
import dev.roboflare.protocol.DeploymentStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole agent loop against a local control plane, with real tarballs, real files and real app processes. */
class AgentLoopTest {
    static final String TOKEN = "robot-token-1";
    static final String RUNS = "{\"entrypoint\": [\"bin/app\"]}";
    static final Duration WATCH = Duration.ofMillis(1500);

    @TempDir
    Path state;
    FakeControlPlane cp;
    LogCapture log;
    Agent agent;
    Thread loop;
    UpdateGate gate = UpdateGate.NONE;

    @BeforeEach
    void setUp() throws IOException {
        cp = new FakeControlPlane(TOKEN);
        log = new LogCapture();
        // process-wide, like on a robot: a test stopped mid-deployment must not leave its phase in the next one's polls
        dev.roboflare.agent.client.LiveProgress.current().clear();
    }

    @AfterEach
    void tearDown() throws Exception {
        stopAgent();
        AgentState s = new StateStore(state).load();
        if (s.app() != null) {
            new DetachedProcessLauncher(state, Duration.ofSeconds(1)).stop(s.app());
        }
        cp.close();
        log.close();
    }

    void startAgent() throws IOException {
        StateStore store = new StateStore(state);
        ControlPlaneClient client = new ControlPlaneClient(cp.url(), TOKEN);
        client.reportProgressEvery(Duration.ofMillis(100));
        DeployContext ctx = new DeployContext(store, store.load(), Main.executors(new ExecutorSelection.Chosen("symlink", null,
                        null, "test"), state, List.of(state.resolve("no-modules")), Duration.ofSeconds(5), null, null),
                new DetachedProcessLauncher(state, Duration.ofSeconds(2)),
                new ArtifactDownloader(client.downloads(), state.resolve("downloads"), null), new Outbox(state),
                new SelfUpdateGuard(null), WATCH, DiskPreflight.NONE, ReleaseTrust.NONE, DeltaDownloads.off(), gate);
        agent = new Agent(client, ctx, new DeploymentMachine(ctx, new PauseHook(null), 4), Duration.ofMillis(100),
                Duration.ofMillis(500));
        loop = new Thread(() -> {
            try {
                agent.run();
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        }, "agent-loop");
        loop.start();
    }

    void stopAgent() throws InterruptedException {
        if (agent != null) {
            agent.stop();
            loop.join(10_000);
            agent = null;
        }
    }

    FakeControlPlane.Received finalEvent(String deploymentId) throws InterruptedException {
        waitUntil(() -> !cp.eventsFor(deploymentId).isEmpty());
        List<FakeControlPlane.Received> evs = cp.eventsFor(deploymentId);
        assertThat(evs).hasSize(1);
        return evs.get(0);
    }

    AppRecord runningApp() throws IOException {
        return new StateStore(state).load().app();
    }

    static byte[] goodApp(String name) throws IOException {
        return Tarballs.app("echo \"" + name + " up\"; exec sleep 300");
    }

    @Test
    void goodReleaseIsAppliedAndItsAppRuns() throws Exception {
        String dep = cp.deploy("1.0.0", ArtifactKind.APP_TARBALL, "demo-app", goodApp("one"), RUNS);
        startAgent();
        FakeControlPlane.Received ev = finalEvent(dep);
        assertThat(ev.status()).isEqualTo(DeploymentStatus.APPLIED);
        AppRecord app = runningApp();
        assertThat(ev.detail()).startsWith("release 1.0.0 running as pid " + app.pid());
        assertThat(ProcStat.alive(app.pid(), app.startTime())).isTrue();
        assertThat(state.resolve("current").toRealPath()).isEqualTo(state.resolve("releases/rel-1-0-0").toRealPath());
        assertThat(Files.readString(state.resolve("logs/rel-1-0-0.log"))).contains("one up");
        assertThat(state.resolve("downloads/" + FakeControlPlane.sha256(goodApp("one")) + ".part")).doesNotExist();
        assertThat(log.text()).contains("<6>deployment=" + dep + " release=1.0.0 step=download outcome=ok bytes=")
                .contains("step=report outcome=applied");
        // finished deployments are never applied twice, even while the control plane still lists them
        Thread.sleep(500);
        assertThat(cp.eventsFor(dep)).hasSize(1);
    }

    @Test
    void pollsCarryTheLivePhaseWhileADeploymentIsInFlightAndNothingOnceItIsDone() throws Exception {
        String dep = cp.deploy("1.0.0", ArtifactKind.APP_TARBALL, "demo-app", goodApp("one"), RUNS);
        startAgent();
        assertThat(finalEvent(dep).status()).isEqualTo(DeploymentStatus.APPLIED);
        List<String> phases = cp.progress.stream().filter(p -> !p.isEmpty()).distinct().toList();
        assertThat(phases).contains(dep + " watching 0/1").allMatch(p -> p.startsWith(dep + " "));
        assertThat(phases.get(phases.size() - 1)).startsWith(dep + " watching ");
        // a small download and the extraction may be over before a report goes out; when one is caught, it counts
        assertThat(cp.progress.stream().filter(p -> p.startsWith(dep + " downloading ")))
                .allMatch(p -> p.matches(".* downloading \\d+/\\d+"));
        int polls = cp.polls;
        waitUntil(() -> cp.polls > polls + 2);
        assertThat(cp.progress.get(cp.progress.size() - 1)).isEmpty(); // idle again: no progress header
        assertThat(cp.eventsFor(dep)).hasSize(1); // presence, never an event
    }

    @Test
    void crashingReleaseIsRolledBackAndThePreviousAppRunsAgain() throws Exception {
        String first = cp.deploy("1.0.0", ArtifactKind.APP_TARBALL, "demo-app", goodApp("one"), RUNS);
        startAgent();
        assertThat(finalEvent(first).status()).isEqualTo(DeploymentStatus.APPLIED);
        long firstPid = runningApp().pid();

        String second = cp.deploy("2.0.0", ArtifactKind.APP_TARBALL, "demo-app",
                Tarballs.app("echo 'loading config'; echo 'fatal: no such sensor /dev/lidar0' >&2; exit 3"), RUNS);
        FakeControlPlane.Received ev = finalEvent(second);
        assertThat(ev.status()).isEqualTo(DeploymentStatus.ROLLED_BACK);
        assertThat(ev.detail()).contains("release 2.0.0 exited with code 3 within the 1500ms watch window")
                .contains("rolled back to release 1.0.0").contains("fatal: no such sensor /dev/lidar0")
                .contains("loading config");
        AppRecord app = runningApp();
        assertThat(app.releaseId()).isEqualTo("rel-1-0-0");
        assertThat(ProcStat.alive(app.pid(), app.startTime())).as("the previous app runs again").isTrue();
        assertThat(ProcStat.alive(firstPid, null)).as("the old copy was stopped, not duplicated")
                .isEqualTo(app.pid() == firstPid);
        assertThat(Files.readSymbolicLink(state.resolve("current"))).isEqualTo(Path.of("releases/rel-1-0-0"));
    }

    @Test
    void crashingFirstReleaseHasNothingToRollBackToAndFails() throws Exception {
        String dep = cp.deploy("1.0.0", ArtifactKind.APP_TARBALL, "demo-app",
                Tarballs.app("echo 'cannot start' >&2; exit 42"), RUNS);
        startAgent();
        FakeControlPlane.Received ev = finalEvent(dep);
        assertThat(ev.status()).isEqualTo(DeploymentStatus.FAILED);
        assertThat(ev.detail()).contains("exited with code 42").contains("no previous release")
                .contains("cannot start");
        assertThat(Files.exists(state.resolve("current"), java.nio.file.LinkOption.NOFOLLOW_LINKS)).isFalse();
    }

    @Test
    void tamperedArtifactFailsWithBothHashesAndNothingIsApplied() throws Exception {
        byte[] real = goodApp("one");
        byte[] served = real.clone();
        served[served.length / 2] ^= 0x55;
        String dep = cp.deploy("1.0.0", ArtifactKind.APP_TARBALL, "demo-app", served, RUNS,
                FakeControlPlane.sha256(real), real.length);
        startAgent();
        FakeControlPlane.Received ev = finalEvent(dep);
        assertThat(ev.status()).isEqualTo(DeploymentStatus.FAILED);
        assertThat(ev.detail()).contains("artifact sha256 mismatch: expected " + FakeControlPlane.sha256(real)
                + ", got " + FakeControlPlane.sha256(served));
        assertThat(state.resolve("releases/rel-1-0-0")).doesNotExist();
        assertThat(state.resolve("downloads/" + FakeControlPlane.sha256(real) + ".part")).doesNotExist();
        assertThat(log.text()).doesNotContain("\tat ");
    }

    @Test
    void escapingTarballFailsNamingTheEntry() throws Exception {
        String dep = cp.deploy("1.0.0", ArtifactKind.APP_TARBALL, "demo-app",
                Tarballs.gzip().file("bin/app", 0755, "#!/bin/sh\nexec sleep 300\n").file("../x", 0644, "evil").bytes(),
                RUNS);
        startAgent();
        FakeControlPlane.Received ev = finalEvent(dep);
        assertThat(ev.status()).isEqualTo(DeploymentStatus.FAILED);
        assertThat(ev.detail()).isEqualTo("tarball entry '../x' escapes the release directory; rebuild the tarball "
                + "with relative paths");
        assertThat(state.resolve("releases/x")).doesNotExist();
        assertThat(state.resolve("releases/rel-1-0-0")).doesNotExist();
    }

    @Test
    void unsupportedKindsAndSelfUpdatesAreFailedWithTheReason() throws Exception {
        String img = cp.deploy("1.0.0", ArtifactKind.CONTAINER_IMAGE, "demo-img", new byte[] {1}, RUNS);
        String mcu = cp.deploy("1.0.1", ArtifactKind.MCU_FIRMWARE, "fw", new byte[] {1}, RUNS);
        String self = cp.deploy("1.0.2", ArtifactKind.APP_TARBALL, "roboflare-agent", goodApp("x"), RUNS);
        String marked = cp.deploy("1.0.3", ArtifactKind.APP_TARBALL, "tool", goodApp("x"),
                "{\"entrypoint\": [\"bin/app\"], \"agent\": true}");
        startAgent();
        assertThat(finalEvent(img).detail())
                .startsWith("container_image needs the Docker executor (--executor docker");
        assertThat(finalEvent(mcu).detail()).startsWith("mcu_firmware manifest_json must name its update module");
        assertThat(finalEvent(self).detail()).contains("the agent never updates itself");
        assertThat(finalEvent(marked).detail()).contains("marked as the agent");
        assertThat(state.resolve("current")).doesNotExist();
    }

    @Test
    void eventsWaitInTheOutboxWhileTheControlPlaneIsDown() throws Exception {
        String dep = cp.deploy("1.0.0", ArtifactKind.APP_TARBALL, "demo-app", goodApp("one"), RUNS);
        startAgent();
        FakeControlPlane.Received ev = finalEvent(dep);
        stopAgent();
        // replay what the outbox would send after a crash between send and delete: same event_id, no new event
        new Outbox(state).enqueue(dep, new dev.roboflare.protocol.AgentApi.Event(ev.eventId(), ev.status(),
                ev.detail()));
        startAgent();
        waitUntil(() -> cp.eventPosts.stream().filter(ev.eventId()::equals).count() >= 2);
        waitUntil(() -> {
            try {
                return new Outbox(state).depth() == 0;
            } catch (IOException e) {
                return false;
            }
        });
        assertThat(cp.eventsFor(dep)).hasSize(1);
    }

    @Test
    void aDeadAppIsStartedAgainWhenTheAgentStarts() throws Exception {
        String dep = cp.deploy("1.0.0", ArtifactKind.APP_TARBALL, "demo-app", goodApp("one"), RUNS);
        startAgent();
        finalEvent(dep);
        stopAgent();
        AppRecord old = runningApp();
        new DetachedProcessLauncher(state, Duration.ofSeconds(1)).stop(old); // e.g. the robot rebooted
        startAgent();
        waitUntil(() -> {
            try {
                AppRecord a = runningApp();
                return a != null && a.pid() != old.pid() && ProcStat.alive(a.pid(), a.startTime());
            } catch (IOException e) {
                return false;
            }
        });
        assertThat(log.text()).contains("release=1.0.0 step=supervise outcome=started");
    }

    @Test
    void anUnreachableControlPlaneIsOneWarningAndItsReturnOneInfoLine() throws Exception {
        int port = cp.port();
        cp.close();
        startAgent();
        Thread.sleep(2000); // several polls fail with backoff
        assertThat(log.text().lines().filter(l -> l.contains("outcome=unreachable")))
                .singleElement().asString().startsWith("<4>step=poll outcome=unreachable control_plane=");
        cp = new FakeControlPlane(TOKEN, port);
        waitUntil(() -> log.text().contains("outcome=reachable"));
        assertThat(log.text()).contains("<6>step=poll outcome=reachable").doesNotContain("\tat ");
        assertThat(log.text().lines().filter(l -> l.contains("outcome=unreachable"))).hasSize(1);
    }

    @Test
    void aPhaseThatKeepsBeingInterruptedIsGivenUpOn() throws Exception {
        String dep = cp.deploy("1.0.0", ArtifactKind.APP_TARBALL, "demo-app", goodApp("one"), RUNS);
        // as if the agent had died four times while extracting this release
        dev.roboflare.agent.state.InFlight f = dev.roboflare.agent.state.InFlight.start(
                dev.roboflare.agent.state.DeploymentRecord.of(cp.deployment(dep)), "extract");
        for (int i = 0; i < 4; i++) {
            f = f.countEntry();
        }
        new StateStore(state).save(AgentState.empty().withInFlight(f));
        startAgent();
        FakeControlPlane.Received ev = finalEvent(dep);
        assertThat(ev.status()).isEqualTo(DeploymentStatus.FAILED);
        assertThat(ev.detail()).isEqualTo("the agent was interrupted 4 times during phase extract; giving up on it");
        assertThat(log.text()).contains("step=extract outcome=resumed").contains("step=extract outcome=gave-up");
    }

    static void waitUntil(BooleanSupplier c) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("condition not met within 20s");
            }
            Thread.sleep(50);
        }
    }
}
