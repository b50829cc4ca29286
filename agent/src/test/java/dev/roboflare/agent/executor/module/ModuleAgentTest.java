package dev.roboflare.agent.executor.module;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roboflare.agent.Main;
import dev.roboflare.agent.launcher.DetachedProcessLauncher;
import dev.roboflare.agent.launcher.ProcStat;
import dev.roboflare.agent.state.AgentState;
import dev.roboflare.agent.state.AppRecord;
import dev.roboflare.agent.state.StateStore;
import dev.roboflare.agent.testing.FakeControlPlane;
import dev.roboflare.agent.testing.Tarballs;
import dev.roboflare.protocol.ArtifactKind;
import dev.roboflare.protocol.DeploymentStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * mcu_firmware through update modules, with the agent as a real process: Debian's mender-client single-file
 * module, unmodified from /usr/share/mender/modules/v3, writes a firmware file the app reads; modules written
 * here fail, hang, and get the agent killed in the middle of ArtifactInstall.
 */
class ModuleAgentTest {
    static final String TOKEN = "robot-token-fw";
    static final Path MENDER_MODULES = Path.of("/usr/share/mender/modules/v3");

    @TempDir
    Path dir;
    FakeControlPlane cp;
    final List<Process> agents = new ArrayList<>();
    Path fw;
    Path calls;

    @BeforeEach
    void setUp() throws IOException {
        assertThat(MENDER_MODULES.resolve("single-file")).as("Debian's mender-client (apt-get install "
                + "mender-client; scripts/test installs it)").isExecutable();
        cp = new FakeControlPlane(TOKEN);
        fw = dir.resolve("mcu/fw.bin");
        calls = dir.resolve("module-calls.log");
        Files.createDirectories(dir.resolve("modules"));
        module("failing", "SupportsRollback) echo No ;;\n NeedsArtifactReboot) echo No ;;\n"
                + " ArtifactInstall) echo 'flash write error at 0x0800'; exit 1 ;;\n");
        module("hanging", "SupportsRollback) echo No ;;\n NeedsArtifactReboot) echo No ;;\n"
                + " ArtifactInstall) sleep 60 ;;\n");
        module("rebooting", "SupportsRollback) echo Yes ;;\n NeedsArtifactReboot) echo Automatic ;;\n");
        module("slowflash", "SupportsRollback) echo Yes ;;\n NeedsArtifactReboot) echo No ;;\n"
                + " ArtifactInstall) echo $$ > \"" + dir.resolve("slowflash.pid") + "\"; exec sleep 300 ;;\n");
    }

    @AfterEach
    void tearDown() throws IOException {
        agents.forEach(Process::destroyForcibly);
        AgentState s = new StateStore(dir.resolve("state")).load();
        if (s.app() != null) {
            new DetachedProcessLauncher(dir.resolve("state"), Duration.ofSeconds(1)).stop(s.app());
        }
        Path pid = dir.resolve("slowflash.pid");
        if (Files.exists(pid)) {
            ProcessHandle.of(Long.parseLong(Files.readString(pid).trim())).ifPresent(ProcessHandle::destroyForcibly);
        }
        cp.close();
    }

    @Test
    void theSingleFileModuleInstallsFirmwareAndRollsBackWhatTheAppRejects() throws Exception {
        agent("agent-1.log");
        String app = cp.deploy("1.0.0", ArtifactKind.APP_TARBALL, "app", Tarballs.app(
                "while true; do if grep -q bad \"$FW\" 2>/dev/null; then echo \"firmware $(cat \"$FW\") rejected\"; "
                        + "exit 3; fi; sleep 0.1; done"), "{\"entrypoint\": [\"bin/app\"], \"env\": {\"FW\": \"" + fw + "\"}}");
        assertThat(finalEvent(app).status()).isEqualTo(DeploymentStatus.APPLIED);
        long appPid = state().app().pid();

        String good = cp.deploy("1.0.1", ArtifactKind.MCU_FIRMWARE, "fw", firmware("good-1"), SINGLE_FILE);
        FakeControlPlane.Received applied = finalEvent(good);
        assertThat(applied.status()).as(log("agent-1.log")).isEqualTo(DeploymentStatus.APPLIED);
        assertThat(applied.detail()).contains("release 1.0.1 installed").contains("survived");
        assertThat(fw).hasContent("good-1");
        AgentState s = state();
        assertThat(s.current().semver()).as("firmware does not change the app release").isEqualTo("1.0.0");
        assertThat(s.app().pid()).as("the app was restarted on the new firmware").isNotEqualTo(appPid);
        assertThat(ProcStat.alive(s.app().pid(), s.app().startTime())).isTrue();

        String bad = cp.deploy("1.0.2", ArtifactKind.MCU_FIRMWARE, "fw", firmware("bad-2"), SINGLE_FILE);
        FakeControlPlane.Received rolledBack = finalEvent(bad);
        assertThat(rolledBack.status()).as(log("agent-1.log")).isEqualTo(DeploymentStatus.ROLLED_BACK);
        assertThat(rolledBack.detail()).contains("exited with code 3").contains("firmware bad-2 rejected")
                .contains("rolled back");
        assertThat(fw).as("ArtifactRollback put the previous file back").hasContent("good-1");
        AppRecord after = state().app();
        assertThat(ProcStat.alive(after.pid(), after.startTime())).as("the app runs again").isTrue();
        assertThat(dir.resolve("state/modules")).isDirectoryNotContaining(p -> p.getFileName().toString()
                .startsWith("dep-"));
        assertThat(log("agent-1.log")).contains("module=single-file module_state=ArtifactInstall outcome=ok")
                .contains("module_state=ArtifactRollback outcome=ok").contains("module_state=Cleanup outcome=ok");
    }

    @Test
    void aFailingAHangingAMissingAndARebootingModuleEachFailWithTheReason() throws Exception {
        agent("agent-1.log");
        String failing = cp.deploy("2.0.0", ArtifactKind.MCU_FIRMWARE, "fw", firmware("x"), manifest("failing"));
        assertThat(finalEvent(failing).detail()).as(log("agent-1.log"))
                .startsWith("update module 'failing' ArtifactInstall exited with code 1")
                .contains("flash write error at 0x0800").contains("cannot roll back (SupportsRollback answered No)");
        assertThat(finalEvent(failing).status()).isEqualTo(DeploymentStatus.FAILED);
        assertThat(Files.readString(calls)).contains("failing ArtifactFailure").contains("failing Cleanup");

        String hanging = cp.deploy("2.0.1", ArtifactKind.MCU_FIRMWARE, "fw", firmware("x"), manifest("hanging"));
        assertThat(finalEvent(hanging).detail()).startsWith("update module 'hanging' ArtifactInstall did not finish "
                + "within 3 s and was killed");
        String missing = cp.deploy("2.0.2", ArtifactKind.MCU_FIRMWARE, "fw", firmware("x"), manifest("nope"));
        assertThat(finalEvent(missing).detail()).startsWith("update module 'nope' is not installed");
        String reboot = cp.deploy("2.0.3", ArtifactKind.MCU_FIRMWARE, "fw", firmware("x"), manifest("rebooting"));
        assertThat(finalEvent(reboot).detail()).contains("answered NeedsArtifactReboot with 'Automatic'");
        assertThat(Files.readString(calls)).doesNotContain("rebooting ArtifactInstall");
        assertThat(fw).doesNotExist();
    }

    @Test
    void killedDuringArtifactInstallItRollsBackAndCleansUpWhenItStartsAgain() throws Exception {
        Process first = agent("agent-1.log");
        String dep = cp.deploy("3.0.0", ArtifactKind.MCU_FIRMWARE, "fw", firmware("x"), manifest("slowflash"));
        waitUntil(() -> Files.exists(dir.resolve("slowflash.pid")));
        first.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL, in the middle of ArtifactInstall
        assertThat(state().inFlight().phase()).isEqualTo("switch");

        agent("agent-2.log");
        FakeControlPlane.Received e = finalEvent(dep);
        assertThat(e.status()).as(log("agent-2.log")).isEqualTo(DeploymentStatus.ROLLED_BACK);
        assertThat(e.detail()).contains("interrupted during ArtifactInstall of update module 'slowflash'");
        assertThat(Files.readAllLines(calls)).containsExactly("slowflash SupportsRollback",
                "slowflash NeedsArtifactReboot", "slowflash ArtifactInstall", "slowflash ArtifactRollback",
                "slowflash Cleanup");
    }

    /**
     * The crash matrix for firmware: the agent SIGKILLed right after it persisted each phase (test hook) and started
     * again ends the deployment once, with the firmware file and the app as they should be; a firmware the app
     * rejects covers rollback.
     */
    @ParameterizedTest(name = "killed at {0}")
    @ValueSource(strings = {"check", "download", "verify", "extract", "switch", "watch", "commit", "rollback", "cleanup",
            "report"})
    void killedAtAPhaseTheFirmwareDeploymentStillEndsOnce(String phase) throws Exception {
        agent("agent-1.log");
        String app = cp.deploy("1.0.0", ArtifactKind.APP_TARBALL, "app", Tarballs.app(
                "while true; do if grep -q bad \"$FW\" 2>/dev/null; then exit 3; fi; sleep 0.1; done"),
                "{\"entrypoint\": [\"bin/app\"], \"env\": {\"FW\": \"" + fw + "\"}}");
        assertThat(finalEvent(app).status()).isEqualTo(DeploymentStatus.APPLIED);
        String good = cp.deploy("1.0.1", ArtifactKind.MCU_FIRMWARE, "fw", firmware("good-1"), SINGLE_FILE);
        assertThat(finalEvent(good).status()).isEqualTo(DeploymentStatus.APPLIED);
        agents.remove(0).destroyForcibly().waitFor(10, TimeUnit.SECONDS);

        boolean rollback = phase.equals("rollback");
        Process paused = agent("agent-2.log", phase);
        String dep = cp.deploy("1.0.2", ArtifactKind.MCU_FIRMWARE, "fw", firmware(rollback ? "bad-2" : "good-2",
                "x".repeat(200_000)), SINGLE_FILE); // bigger than a download chunk: the hook pauses mid-download
        waitUntil(() -> log("agent-2.log").contains("test hook: paused at " + phase));
        paused.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        assertThat(cp.eventsFor(dep)).isEmpty();

        agent("agent-3.log");
        FakeControlPlane.Received e = finalEvent(dep);
        Thread.sleep(1000); // a few polls: a second event would show now
        assertThat(cp.eventsFor(dep)).as(log("agent-3.log")).hasSize(1);
        assertThat(e.status()).as(log("agent-3.log"))
                .isEqualTo(rollback ? DeploymentStatus.ROLLED_BACK : DeploymentStatus.APPLIED);
        assertThat(fw).hasContent(rollback ? "good-1" : "good-2");
        AppRecord running = state().app();
        assertThat(ProcStat.alive(running.pid(), running.startTime())).as("the app runs").isTrue();
        assertThat(state().current().semver()).isEqualTo("1.0.0");
        assertThat(dir.resolve("state/modules")).isDirectoryNotContaining(p -> p.getFileName().toString()
                .startsWith("dep-"));
    }

    static final String SINGLE_FILE = "{\"module\": \"single-file\", \"meta_data\": {}}";

    static String manifest(String module) {
        return "{\"module\": \"" + module + "\"}";
    }

    byte[] firmware(String content) throws IOException {
        return firmware(content, "");
    }

    /** A single-file payload; {@code notes} goes into an extra file the module ignores. */
    byte[] firmware(String content, String notes) throws IOException {
        return Tarballs.plain().file("dest_dir", 0644, fw.getParent().toString()).file("filename", 0644, "fw.bin")
                .file("fw.bin", 0644, content).file("notes.txt", 0644, notes).bytes();
    }

    /** A module that logs each call to {@link #calls} and does what {@code cases} says (a sh case body). */
    void module(String name, String cases) throws IOException {
        Path p = dir.resolve("modules").resolve(name);
        Files.writeString(p, "#!/bin/sh\necho \"" + name + " $1\" >> \"" + calls + "\"\ncase \"$1\" in\n" + cases
                + "esac\nexit 0\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    Process agent(String logName) throws IOException {
        return agent(logName, null);
    }

    Process agent(String logName, String pauseAt) throws IOException {
        Files.writeString(dir.resolve("token"), TOKEN + "\n");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        String jar = System.getProperty("roboflare.agent.jar");
        if (jar != null) {
            cmd.addAll(List.of("-jar", jar)); // ModuleAgentJarIT: the shaded jar exactly as shipped
        } else {
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        }
        cmd.addAll(List.of("--control-plane", cp.url(), "--token-file", dir.resolve("token").toString(),
                "--state-dir", dir.resolve("state").toString(), "--executor", "symlink", "--poll-interval", "100ms",
                "--watch-window", "1500ms", "--max-backoff", "500ms", "--module-timeout", "3s",
                "--modules-dir", dir.resolve("modules") + "," + MENDER_MODULES));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(logName).toFile()));
        if (pauseAt != null) {
            pb.environment().put("ROBOFLARE_AGENT_PAUSE_AT", pauseAt);
        }
        Process p = pb.start();
        agents.add(p);
        return p;
    }

    AgentState state() throws IOException {
        return new StateStore(dir.resolve("state")).load();
    }

    FakeControlPlane.Received finalEvent(String dep) throws InterruptedException {
        waitUntil(() -> !cp.eventsFor(dep).isEmpty());
        return cp.eventsFor(dep).get(0);
    }

    String log(String name) {
        try {
            return Files.readString(dir.resolve(name));
        } catch (IOException e) {
            return "";
        }
    }

    static void waitUntil(BooleanSupplier c) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("condition not met within 60s");
            }
            Thread.sleep(50);
        }
    }
}
