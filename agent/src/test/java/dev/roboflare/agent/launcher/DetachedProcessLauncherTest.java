package dev.roboflare.agent.launcher;

import dev.roboflare.agent.state.AppRecord;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roboflare.agent.state.ReleaseRecord;
import dev.roboflare.protocol.WireJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DetachedProcessLauncherTest {
    static final ObjectMapper JSON = WireJson.lenient();
    @TempDir
    Path state;
    final List<AppRecord> started = new ArrayList<>();

    @AfterEach
    void stopApps() {
        started.forEach(a -> new DetachedProcessLauncher(state, Duration.ofSeconds(1)).stop(a));
    }

    ReleaseRecord release(String id, String script) throws Exception {
        Path dir = Files.createDirectories(state.resolve("releases").resolve(id).resolve("bin"));
        Path app = dir.resolve("app");
        Files.writeString(app, "#!/bin/sh\n" + script + "\n");
        Files.setPosixFilePermissions(app, PosixFilePermissions.fromString("rwxr-xr-x"));
        return new ReleaseRecord(id, "1.0." + id.length(), dir.getParent().toString(),
                JSON.readTree("{\"entrypoint\": [\"bin/app\", \"one arg\"], \"env\": {\"GREETING\": \"hi\"}}"));
    }

    AppRecord track(AppRecord a) {
        started.add(a);
        return a;
    }

    @Test
    void appIsReadoptedByANewLauncherAndItsExitCodeIsReadableAfterwards() throws Exception {
        ReleaseRecord r = release("r1", "echo \"$GREETING $1 from $ROBOFLARE_RELEASE_SEMVER in $(pwd)\"; "
                + "while [ ! -e go ]; do sleep 0.05; done; echo bye; exit 7");
        AppRecord app = track(new DetachedProcessLauncher(state).start(r));
        assertThat(ProcStat.alive(app.pid(), app.startTime())).isTrue();

        DetachedProcessLauncher restarted = new DetachedProcessLauncher(state); // a new agent process
        AppRecord persisted = JSON.readValue(JSON.writeValueAsBytes(app), AppRecord.class);
        assertThat(restarted.status(persisted).running()).isTrue();

        Files.writeString(Path.of(r.dir()).resolve("go"), "");
        waitUntil(() -> !restarted.status(persisted).running());
        AppStatus st = new DetachedProcessLauncher(state).status(persisted);
        assertThat(st.exitCode()).isEqualTo(7);
        assertThat(st.how()).isEqualTo("exited with code 7");
        assertThat(restarted.lastLines(persisted, 20))
                .containsExactly("hi one arg from 1.0.2 in " + r.dir(), "bye");
    }

    @Test
    void stopTerminatesTheWholeProcessGroup() throws Exception {
        ReleaseRecord r = release("r2", "sleep 300 & sleep 300");
        DetachedProcessLauncher l = new DetachedProcessLauncher(state, Duration.ofSeconds(2));
        AppRecord app = track(l.start(r));
        waitUntil(() -> ProcessHandle.of(app.pid()).map(h -> h.children().count() >= 1).orElse(false));
        List<ProcessHandle> group = ProcessHandle.of(app.pid()).orElseThrow().descendants().toList();
        l.stop(app);
        assertThat(l.status(app).running()).isFalse();
        waitUntil(() -> group.stream().noneMatch(ProcessHandle::isAlive));
    }

    @Test
    void appKeepsRunningWhenTheAgentJvmDies() throws Exception {
        ReleaseRecord r = release("r3", "exec sleep 300");
        Path rel = Files.writeString(state.resolve("release.json"), JSON.writeValueAsString(r));
        Process agent = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), LaunchAndExit.class.getName(), state.toString(),
                rel.toString()).inheritIO().start();
        assertThat(agent.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(agent.exitValue()).isEqualTo(9);
        AppRecord app = track(JSON.readValue(state.resolve("app.json").toFile(), AppRecord.class));
        Thread.sleep(300);
        assertThat(ProcStat.alive(app.pid(), app.startTime())).as("app outlived the JVM that started it").isTrue();
        assertThat(new DetachedProcessLauncher(state).status(app).running()).isTrue();
    }

    @Test
    void missingOrNonExecutableEntrypointIsAClearError() throws Exception {
        ReleaseRecord r = release("r4", "true");
        Files.setPosixFilePermissions(Path.of(r.dir(), "bin/app"), PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> new DetachedProcessLauncher(state).start(r)).isInstanceOf(LaunchException.class)
                .hasMessageContaining("'bin/app' is not executable");
    }

    @Test
    void aReusedPidIsNotMistakenForTheApp() {
        long self = ProcessHandle.current().pid();
        assertThat(ProcStat.alive(self, ProcStat.startTime(self))).isTrue();
        assertThat(ProcStat.alive(self, "1")).isFalse();
    }

    static void waitUntil(java.util.function.BooleanSupplier c) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("condition not met within 15s");
            }
            Thread.sleep(50);
        }
    }
}
