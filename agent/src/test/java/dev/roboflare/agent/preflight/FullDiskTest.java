package dev.roboflare.agent.preflight;

import dev.roboflare.agent.trust.ReleaseTrust;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.roboflare.agent.Agent;
import dev.roboflare.agent.client.ControlPlaneClient;
import dev.roboflare.agent.deploy.DeployContext;
import dev.roboflare.agent.deploy.DeploymentMachine;
import dev.roboflare.agent.deploy.PauseHook;
import dev.roboflare.agent.deploy.SelfUpdateGuard;
import dev.roboflare.agent.download.ArtifactDownloader;
import dev.roboflare.agent.executor.tarball.TarballExecutor;
import dev.roboflare.agent.state.AppRecord;
import dev.roboflare.agent.launcher.DetachedProcessLauncher;
import dev.roboflare.agent.launcher.ProcStat;
import dev.roboflare.agent.outbox.Outbox;
import dev.roboflare.agent.state.AgentState;
import dev.roboflare.agent.state.StateStore;
import dev.roboflare.agent.testing.FakeControlPlane;
import dev.roboflare.agent.testing.LogCapture;
import dev.roboflare.agent.testing.Tarballs;
import dev.roboflare.protocol.ArtifactKind;
import dev.roboflare.protocol.DeploymentStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real full disk: the state directory is a 12 MiB tmpfs mounted by the test (needs root and mount(8); without
 * them the tests are reported as skipped with the reason). The agent loop runs in-process against a local control
 * plane, with real app processes.
 */
class FullDiskTest {
    private static final String TOKEN = "robot-token-disk";
    private static final String RUNS = "{\"entrypoint\": [\"bin/app\"]}";

    @TempDir
    Path tmp;
    Path state;
    FakeControlPlane cp;
    LogCapture log;
    Agent agent;
    Thread loop;

    @BeforeEach
    void mountSmallDisk() throws Exception {
        state = Files.createDirectories(tmp.resolve("state"));
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=12m", "tmpfs", state.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        boolean mounted = p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        assumeTrue(mounted, "cannot mount a tmpfs here (needs root and mount(8)): " + out.strip());
        cp = new FakeControlPlane(TOKEN);
        log = new LogCapture();
    }

    @AfterEach
    void unmount() throws Exception {
        if (cp == null) {
            return;
        }
        if (agent != null) {
            agent.stop();
            loop.join(10_000);
        }
        AgentState s = new StateStore(state).load();
        if (s.app() != null) {
            new DetachedProcessLauncher(state, Duration.ofSeconds(1)).stop(s.app());
        }
        cp.close();
        log.close();
        new ProcessBuilder("umount", "-l", state.toString()).inheritIO().start().waitFor(20, TimeUnit.SECONDS);
    }

    void startAgent(LongSupplier freeBytes) throws IOException {
        startAgent(freeBytes, new PauseHook(null));
    }

    void startAgent(LongSupplier freeBytes, PauseHook hook) throws IOException {
        StateStore store = new StateStore(state);
        ControlPlaneClient client = new ControlPlaneClient(cp.url(), TOKEN);
        DeployContext ctx = new DeployContext(store, store.load(), dev.roboflare.agent.executor.ExecutorRegistry.of(new TarballExecutor(state)),
                new DetachedProcessLauncher(state, Duration.ofSeconds(2)),
                new ArtifactDownloader(client.downloads(), state.resolve("downloads"), null), new Outbox(state),
                new SelfUpdateGuard(null), Duration.ofMillis(800), freeBytes == null
                        ? new DiskPreflight(state, 1024 * 1024) : new DiskPreflight(state, 0, freeBytes),
                ReleaseTrust.NONE);
        agent = new Agent(client, ctx, new DeploymentMachine(ctx, hook, 4), Duration.ofMillis(100),
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

    FakeControlPlane.Received finalEvent(String deploymentId) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (cp.eventsFor(deploymentId).isEmpty()) {
            assertThat(System.nanoTime()).as("no event for " + deploymentId + " within 30 s").isLessThan(end);
            Thread.sleep(50);
        }
        List<FakeControlPlane.Received> evs = cp.eventsFor(deploymentId);
        assertThat(evs).hasSize(1);
        return evs.get(0);
    }

    String deployApp(String semver) throws IOException {
        return cp.deploy(semver, ArtifactKind.APP_TARBALL, "app", Tarballs.app("echo " + semver + "; exec sleep 300"),
                RUNS);
    }

    /** Installs 1.0.0, 1.1.0 and 1.2.0: current 1.2.0, previous 1.1.0, and 1.0.0 older than the previous one. */
    AppRecord threeReleases() throws Exception {
        for (String v : List.of("1.0.0", "1.1.0", "1.2.0")) {
            assertThat(finalEvent(deployApp(v)).status()).isEqualTo(DeploymentStatus.APPLIED);
        }
        return new StateStore(state).load().app();
    }

    void assertOldAppUntouched(AppRecord before) throws IOException {
        AgentState s = new StateStore(state).load();
        assertThat(s.current().semver()).isEqualTo("1.2.0");
        assertThat(s.app()).isEqualTo(before);
        assertThat(ProcStat.alive(before.pid(), before.startTime())).isTrue();
        assertThat(state.resolve("current").toRealPath()).isEqualTo(state.resolve("releases/rel-1-2-0").toRealPath());
        try (Stream<Path> parts = Files.list(state.resolve("downloads"))) {
            assertThat(parts).as("partial downloads are removed").isEmpty();
        }
        try (Stream<Path> rel = Files.list(state.resolve("releases"))) {
            assertThat(rel.map(p -> p.getFileName().toString())).as("no half-extracted release")
                    .noneMatch(n -> n.startsWith(".tmp-"));
        }
    }

    @Test
    void notEnoughRoomFailsWithTheNumbersAfterCleaningReleasesOlderThanThePreviousOne() throws Exception {
        startAgent(null);
        AppRecord before = threeReleases();
        assertThat(state.resolve("releases/rel-1-0-0")).isDirectory();

        byte[] big = new byte[4 * 1024 * 1024]; // 4 MiB + 12 MiB to extract + 1 MiB reserve > a 12 MiB disk
        new Random(1).nextBytes(big);
        FakeControlPlane.Received ev = finalEvent(cp.deploy("2.0.0", ArtifactKind.APP_TARBALL, "big", big, RUNS));

        assertThat(ev.status()).isEqualTo(DeploymentStatus.FAILED);
        assertThat(ev.detail()).startsWith("not enough disk space on " + state).contains("need 17.0 MiB")
                .contains("(4194304 bytes) left to download").contains("1.0 MiB (1048576 bytes) reserve")
                .contains(" free after removing release rel-1-0-0").endsWith("nothing was downloaded or changed");
        assertThat(state.resolve("releases/rel-1-0-0")).doesNotExist();
        assertThat(state.resolve("releases/rel-1-1-0")).as("the previous release stays for rollback").isDirectory();
        assertOldAppUntouched(before);
    }

    @Test
    void enospcWhileDownloadingFailsRemovesThePartFileAndLeavesTheOldAppRunning() throws Exception {
        startAgent(() -> Long.MAX_VALUE); // the disk fills up behind the preflight's back
        AppRecord before = threeReleases();

        byte[] big = new byte[16 * 1024 * 1024];
        new Random(2).nextBytes(big);
        FakeControlPlane.Received ev = finalEvent(cp.deploy("2.0.0", ArtifactKind.APP_TARBALL, "big", big, RUNS));

        assertThat(ev.status()).isEqualTo(DeploymentStatus.FAILED);
        assertThat(ev.detail()).startsWith("could not write the download to disk")
                .contains("No space left on device").contains("partial download was removed");
        assertOldAppUntouched(before);
        assertThat(Files.getFileStore(state).getUsableSpace()).as("the space is given back")
                .isGreaterThan(8L * 1024 * 1024);
    }

    @Test
    void enospcWhileExtractingFailsRemovesTheHalfReleaseAndLeavesTheOldAppRunning() throws Exception {
        startAgent(() -> Long.MAX_VALUE);
        AppRecord before = threeReleases();

        // a few KiB of gzip that expands to 40 MiB: no size estimate catches this one
        byte[] bomb = Tarballs.gzip().dir("bin").file("bin/app", 0755, "#!/bin/sh\nexec sleep 300\n")
                .file("data.bin", 0644, "\0".repeat(40 * 1024 * 1024)).bytes();
        FakeControlPlane.Received ev = finalEvent(cp.deploy("2.0.0", ArtifactKind.APP_TARBALL, "bomb", bomb, RUNS));

        assertThat(ev.status()).isEqualTo(DeploymentStatus.FAILED);
        assertThat(ev.detail()).startsWith("could not extract the app_tarball artifact").contains("No space left on device");
        assertThat(state.resolve("releases/rel-2-0-0")).doesNotExist();
        assertOldAppUntouched(before);
    }

    /** Fills the state directory's file system to the last byte; delete the returned file to give the space back. */
    Path fillTheDisk() throws IOException {
        Path filler = state.resolve("filler.bin");
        byte[] chunk = new byte[64 * 1024];
        try (var out = Files.newOutputStream(filler)) {
            for (int size = chunk.length; size > 0; size /= 2) {
                try {
                    while (true) {
                        out.write(chunk, 0, size);
                        out.flush();
                    }
                } catch (IOException full) {
                    // this size does not fit any more: try a smaller one
                }
            }
        } catch (IOException closing) {
            // close may fail to flush the last bytes on a full disk; the disk is full either way
        }
        return filler;
    }

    void awaitLog(String fragment) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!log.text().contains(fragment)) {
            assertThat(System.nanoTime()).as("no log line with " + fragment + " within 30 s").isLessThan(end);
            Thread.sleep(50);
        }
    }

    void assertStillRunning(AppRecord app) {
        assertThat(loop.isAlive()).as("the agent loop keeps running").isTrue();
        assertThat(ProcStat.alive(app.pid(), app.startTime())).as("the app keeps running").isTrue();
    }

    @Test
    void aFullDiskWhenStateJsonMustBeWrittenIsLoggedAndRetriedWhileTheAppKeepsRunning() throws Exception {
        startAgent(() -> Long.MAX_VALUE);
        assertThat(finalEvent(deployApp("1.0.0")).status()).isEqualTo(DeploymentStatus.APPLIED);
        AppRecord before = new StateStore(state).load().app();
        String stateJson = Files.readString(state.resolve("state.json"));

        Path filler = fillTheDisk();
        String id = deployApp("1.1.0");
        awaitLog("step=persist outcome=disk-full");
        awaitLog("retry_in=");
        Thread.sleep(1500); // a few retries with backoff
        assertStillRunning(before);
        assertThat(log.text()).contains("No space left on device").contains("the running app is left alone")
                .doesNotContain("step=bug");
        assertThat(Files.readString(state.resolve("state.json"))).as("the last good state.json is untouched")
                .isEqualTo(stateJson);
        assertThat(cp.eventsFor(id)).isEmpty();

        Files.delete(filler);
        assertThat(finalEvent(id).status()).isEqualTo(DeploymentStatus.APPLIED);
        assertThat(new StateStore(state).load().current().semver()).isEqualTo("1.1.0");
        assertThat(loop.isAlive()).isTrue();
    }

    @Test
    void aFullDiskWhenTheOutcomeGoesToTheOutboxIsRetriedAndReportedOnceWithoutASequenceGap() throws Exception {
        java.util.concurrent.atomic.AtomicReference<Path> filler = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicBoolean armed = new java.util.concurrent.atomic.AtomicBoolean();
        startAgent(() -> Long.MAX_VALUE, new PauseHook(null) {
            @Override
            public void pauseIfAt(dev.roboflare.agent.deploy.Phase phase) {
                if (phase == dev.roboflare.agent.deploy.Phase.REPORT && armed.getAndSet(false)) {
                    try {
                        filler.set(fillTheDisk()); // report was persisted; the outbox write comes next
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
            }
        });
        assertThat(finalEvent(deployApp("1.0.0")).status()).isEqualTo(DeploymentStatus.APPLIED);
        armed.set(true);
        String id = deployApp("1.1.0");
        awaitLog("step=persist outcome=disk-full");
        Thread.sleep(1500);
        AppRecord app = new StateStore(state).load().app();
        assertThat(app.releaseId()).isEqualTo("rel-1-1-0");
        assertStillRunning(app);
        assertThat(new StateStore(state).load().inFlight().phase()).isEqualTo("report");
        assertThat(cp.eventsFor(id)).isEmpty();
        try (Stream<Path> tmpFiles = Files.list(state.resolve("outbox"))) {
            assertThat(tmpFiles.map(p -> p.getFileName().toString())).as("no temp file holds on to the space")
                    .noneMatch(n -> n.endsWith(".tmp"));
        }

        Files.delete(filler.get());
        assertThat(finalEvent(id).status()).isEqualTo(DeploymentStatus.APPLIED);
        assertThat(Files.readString(state.resolve("outbox/last-seq")).strip()).as("no sequence number used up")
                .isEqualTo("2");
        assertThat(loop.isAlive()).isTrue();
    }
}
