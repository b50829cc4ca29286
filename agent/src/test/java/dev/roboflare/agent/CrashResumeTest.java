package dev.roboflare.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roboflare.agent.state.AppRecord;
import dev.roboflare.agent.launcher.DetachedProcessLauncher;
import dev.roboflare.agent.launcher.ProcStat;
import dev.roboflare.agent.state.AgentState;
import dev.roboflare.agent.state.StateStore;
import dev.roboflare.agent.testing.FakeControlPlane;
import dev.roboflare.agent.testing.Tarballs;
import dev.roboflare.protocol.ArtifactKind;
import dev.roboflare.protocol.DeploymentStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent as a real process (same CLI as the jar), stopped with SIGKILL at a persisted phase through the test
 * hook and started again: it must finish the deployment, exactly once, with exactly one app running.
 */
class CrashResumeTest {
    static final String TOKEN = "robot-token-2";
    @TempDir
    Path dir;
    final List<Process> agents = new ArrayList<>();
    FakeControlPlane cp;
    String extraConfig = "lock-file=none\n";

    @AfterEach
    void cleanUp() throws IOException {
        agents.forEach(Process::destroyForcibly);
        AgentState s = new StateStore(dir.resolve("state")).load();
        if (s.app() != null) {
            new DetachedProcessLauncher(dir.resolve("state"), Duration.ofSeconds(1)).stop(s.app());
        }
        if (cp != null) {
            cp.close();
        }
    }

    Process agent(String pauseAt, Path out) throws IOException {
        Files.writeString(dir.resolve("token"), TOKEN + "\n");
        Files.writeString(dir.resolve("agent.conf"), "# config file: same names as the flags\n"
                + "control-plane=" + cp.url() + "\ntoken-file=" + dir.resolve("token") + "\npoll-interval=100ms\n"
                + "watch-window=5s\n" + extraConfig);
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        String jar = System.getProperty("roboflare.agent.jar");
        if (jar != null) {
            cmd.addAll(List.of("-jar", jar)); // CrashResumeJarIT: the shaded jar exactly as shipped
        } else {
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        }
        cmd.addAll(List.of("--config", dir.resolve("agent.conf").toString(), "--state-dir", dir.resolve("state").toString(),
                "--watch-window", "1500ms", "--max-backoff", "500ms"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()));
        if (pauseAt != null) {
            pb.environment().put("ROBOFLARE_AGENT_PAUSE_AT", pauseAt);
        }
        Process p = pb.start();
        agents.add(p);
        return p;
    }

    void killAt(String phase, String deployment) throws Exception {
        Path out1 = dir.resolve("agent-1.log");
        Process first = agent(phase, out1);
        waitUntil(() -> read(out1).contains("<5>test hook: paused at " + phase));
        first.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL
        assertThat(cp.eventsFor(deployment)).isEmpty();
        assertThat(new StateStore(dir.resolve("state")).load().inFlight().phase()).isEqualTo(phase);
    }

    @Test
    void killedDuringTheWatchItIsWatchedAgainInFullAndApplied() throws Exception {
        cp = new FakeControlPlane(TOKEN);
        String dep = cp.deploy("1.0.0", ArtifactKind.APP_TARBALL, "demo-app",
                Tarballs.app("echo up; exec sleep 300"), "{\"entrypoint\": [\"bin/app\"]}");
        killAt("watch", dep);
        AppRecord before = new StateStore(dir.resolve("state")).load().app();
        assertThat(ProcStat.alive(before.pid(), before.startTime())).as("the app survived the agent's SIGKILL")
                .isTrue();

        Path out2 = dir.resolve("agent-2.log");
        agent(null, out2);
        waitUntil(() -> !cp.eventsFor(dep).isEmpty());
        assertThat(cp.eventsFor(dep)).singleElement().satisfies(e -> {
            assertThat(e.status()).isEqualTo(DeploymentStatus.APPLIED);
            assertThat(e.detail()).startsWith("release 1.0.0 running as pid " + before.pid());
        });
        assertThat(read(out2)).contains("step=watch outcome=resumed").contains("step=watch outcome=ok");
        AppRecord after = new StateStore(dir.resolve("state")).load().app();
        assertThat(after.pid()).as("the same app, re-adopted, not a second copy").isEqualTo(before.pid());
    }

    @Test
    void killedMidDownloadItResumesWithRangeAndApplies() throws Exception {
        cp = new FakeControlPlane(TOKEN);
        byte[] noise = new byte[400_000];
        new Random(1).nextBytes(noise);
        Tarballs t = Tarballs.plain().dir("bin").file("bin/app", 0755, "#!/bin/sh\nexec sleep 300\n");
        String blob = java.util.Base64.getEncoder().encodeToString(noise);
        byte[] tar = t.file("data/blob.b64", 0644, blob).bytes();
        String dep = cp.deploy("1.0.0", ArtifactKind.APP_TARBALL, "demo-app", tar, "{\"entrypoint\": [\"bin/app\"]}");
        killAt("download", dep);
        Path part = dir.resolve("state/downloads/" + FakeControlPlane.sha256(tar) + ".part");
        assertThat(Files.size(part)).isBetween(1L, (long) tar.length - 1);

        Path out2 = dir.resolve("agent-2.log");
        agent(null, out2);
        waitUntil(() -> !cp.eventsFor(dep).isEmpty());
        assertThat(cp.eventsFor(dep)).singleElement().extracting(FakeControlPlane.Received::status)
                .isEqualTo(DeploymentStatus.APPLIED);
        assertThat(read(out2)).contains("step=download outcome=ok").contains("resumed_from=");
    }

    @Test
    void killedWhileWaitingAtTheGateItResumesWaitingAndAppliesOnceTheRobotIsFree() throws Exception {
        cp = new FakeControlPlane(TOKEN);
        Path lock = dir.resolve("updates.lock");
        extraConfig = "lock-file=" + lock + "\n";
        Process app = new ProcessBuilder("flock", "-o", "-x", lock.toString(), "sleep", "300").start();
        agents.add(app);
        waitUntil(() -> Files.exists(lock));
        String dep = cp.deploy("1.0.0", ArtifactKind.APP_TARBALL, "demo-app",
                Tarballs.app("echo up; exec sleep 300"), "{\"entrypoint\": [\"bin/app\"]}");
        Path out1 = dir.resolve("agent-1.log");
        Process first = agent(null, out1);
        waitUntil(() -> read(out1).contains("step=gate outcome=waiting") && gateReason() != null); // persisted
        first.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL
        dev.roboflare.agent.state.InFlight gated = new StateStore(dir.resolve("state")).load().inFlight();
        assertThat(gated.phase()).isEqualTo("gate");
        assertThat(gated.gateReason()).isEqualTo("an app holds the update lock " + lock);

        Path out2 = dir.resolve("agent-2.log");
        agent(null, out2);
        waitUntil(() -> read(out2).contains("step=gate outcome=resumed"));
        Thread.sleep(1000); // polls while still busy
        assertThat(cp.eventsFor(dep)).isEmpty();
        assertThat(dir.resolve("state/current")).doesNotExist();
        dev.roboflare.agent.state.InFlight still = new StateStore(dir.resolve("state")).load().inFlight();
        assertThat(still.phase()).isEqualTo("gate");
        assertThat(still.gatedSince()).as("the wait goes on from when it started").isEqualTo(gated.gatedSince());
        assertThat(read(out2)).doesNotContain("outcome=waiting"); // one line per wait, not per start

        app.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        waitUntil(() -> !cp.eventsFor(dep).isEmpty());
        assertThat(cp.eventsFor(dep)).singleElement().extracting(FakeControlPlane.Received::status)
                .isEqualTo(DeploymentStatus.APPLIED);
        assertThat(read(out2)).contains("step=gate outcome=free waited=");
    }

    String gateReason() {
        try {
            dev.roboflare.agent.state.InFlight f = new StateStore(dir.resolve("state")).load().inFlight();
            return f == null ? null : f.gateReason();
        } catch (IOException e) {
            return null;
        }
    }

    static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (IOException e) {
            return "";
        }
    }

    static void waitUntil(java.util.function.BooleanSupplier c) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("condition not met within 30s");
            }
            Thread.sleep(50);
        }
    }
}
