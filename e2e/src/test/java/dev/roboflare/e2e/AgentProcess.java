package dev.roboflare.e2e;

import dev.roboflare.testkit.Jars;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The shipped agent jar as a real process, which the tests can SIGKILL and start again on the same state. */
final class AgentProcess implements AutoCloseable {
    private final Process process;
    private final Path log;

    private AgentProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts an agent; its output is appended to {@code log} so restarts keep one history. */
    static AgentProcess start(String controlPlaneUrl, Path tokenFile, Path stateDir, Path log,
                              Map<String, String> env) throws IOException {
        return start(controlPlaneUrl, tokenFile, stateDir, log, env, List.of());
    }

    /** As {@link #start(String, Path, Path, Path, Map)}, with extra agent flags (e.g. --max-backoff 2s). */
    static AgentProcess start(String controlPlaneUrl, Path tokenFile, Path stateDir, Path log,
                              Map<String, String> env, List<String> extraArgs) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Jars.java(), "-Xmx64m", "-jar", Jars.agent().toString(),
                "--control-plane", controlPlaneUrl, "--token-file", tokenFile.toString(),
                "--state-dir", stateDir.toString(), "--poll-interval", "300ms", "--watch-window", "3s",
                // each agent its own update lock: the default /run/roboflare/updates.lock is one per machine
                "--lock-file", stateDir.toAbsolutePath().resolveSibling("updates.lock").toString()));
        cmd.addAll(extraArgs);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(env);
        return new AgentProcess(pb.start(), log);
    }

    /** SIGKILL: what a power cut or the OOM killer does; no shutdown hook runs. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String logText() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /** Waits until the agent's log contains {@code fragment}. */
    void awaitLog(String fragment, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (logText().contains(fragment)) {
                return;
            }
            if (!process.isAlive()) {
                throw new AssertionError("agent exited (" + process.exitValue() + ") before logging '" + fragment
                        + "':\n" + logText());
            }
            Thread.sleep(100);
        }
        throw new AssertionError("agent did not log '" + fragment + "' within " + timeout + ":\n" + logText());
    }

    static Path writeToken(Path dir, String token) throws IOException {
        Path f = dir.resolve("robot-token");
        Files.writeString(f, token + "\n", StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
        return f;
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }
}
