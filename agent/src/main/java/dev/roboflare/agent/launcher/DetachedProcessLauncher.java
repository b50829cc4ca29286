package dev.roboflare.agent.launcher;

import dev.roboflare.agent.state.AppRecord;
import dev.roboflare.agent.log.Log;
import dev.roboflare.agent.state.ReleaseRecord;
import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Runs the app as a detached process that outlives the agent:
 * <ul>
 * <li>{@code setsid} puts it in a new session and process group, so a dying agent (or its terminal) takes
 * nothing with it;</li>
 * <li>a tiny {@code sh} wrapper is the group leader: it writes its PID to STATE/logs/&lt;release&gt;.pid, runs
 * the entrypoint, and writes the exit code to STATE/logs/&lt;release&gt;.exit, so the exit code is readable even
 * by an agent that was restarted while the app ran;</li>
 * <li>stdout and stderr go straight to STATE/logs/&lt;release&gt;.log (never a pipe to the agent, which would
 * SIGPIPE the app once the agent is gone); each start appends a marker line.</li>
 * </ul>
 * Stopping sends SIGTERM to the whole process group, waits, then SIGKILL.
 */
public final class DetachedProcessLauncher implements AppLauncher {
    /** $1 = pid file, $2 = exit file, the rest = the command. TERM is trapped so the exit code still gets written. */
    private static final String WRAPPER = "echo $$ > \"$1.tmp\" && mv -f \"$1.tmp\" \"$1\"; p=$1; x=$2; shift 2; "
            + "trap : TERM INT HUP; \"$@\"; code=$?; echo $code > \"$x.tmp\" && mv -f \"$x.tmp\" \"$x\"; exit $code";
    static final String MARKER = "--- roboflare-agent: started release ";
    /** The agent's own: systemd's notify/watchdog channel, the test hook, the unit's malloc tuning for the JVM. */
    private static final List<String> NOT_FOR_THE_APP = List.of("NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID",
            "ROBOFLARE_AGENT_PAUSE_AT", "MALLOC_ARENA_MAX");

    private final Path logDir;
    private final Duration stopGrace;

    public DetachedProcessLauncher(Path stateDir) {
        this(stateDir, Duration.ofSeconds(5));
    }

    public DetachedProcessLauncher(Path stateDir, Duration stopGrace) {
        this.logDir = stateDir.resolve("logs");
        this.stopGrace = stopGrace;
    }

    @Override
    public AppRecord start(ReleaseRecord release) throws LaunchException {
        AppCommand cmd;
        try {
            cmd = AppCommand.from(release.manifest());
        } catch (IllegalArgumentException e) {
            throw new LaunchException(e.getMessage());
        }
        Path dir = Path.of(release.dir());
        Path program = cmd.program(dir);
        if (!Path.of(cmd.entrypoint().get(0)).isAbsolute() && !program.startsWith(dir)) {
            throw new LaunchException("entrypoint '" + cmd.entrypoint().get(0) + "' points outside the release "
                    + "directory");
        }
        if (!Files.isRegularFile(program)) {
            throw new LaunchException("entrypoint '" + cmd.entrypoint().get(0) + "' does not exist in release "
                    + release.semver());
        }
        if (!Files.isExecutable(program)) {
            throw new LaunchException("entrypoint '" + cmd.entrypoint().get(0) + "' is not executable in release "
                    + release.semver() + " (tar it with mode 0755)");
        }
        Path log = logDir.resolve(release.id() + ".log");
        Path pidFile = logDir.resolve(release.id() + ".pid");
        Path exitFile = logDir.resolve(release.id() + ".exit");
        try {
            Files.createDirectories(logDir);
            stopLeftover(pidFile);
            Files.deleteIfExists(exitFile);
            Files.deleteIfExists(pidFile);
            Files.writeString(log, MARKER + release.semver() + " (" + release.id() + ") at " + Instant.now()
                    + " ---\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            List<String> argv = new ArrayList<>(List.of("setsid", "sh", "-c", WRAPPER, "roboflare-app",
                    pidFile.toString(), exitFile.toString(), program.toString()));
            argv.addAll(cmd.entrypoint().subList(1, cmd.entrypoint().size()));
            ProcessBuilder pb = new ProcessBuilder(argv).directory(dir.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectErrorStream(true);
            Map<String, String> env = pb.environment();
            NOT_FOR_THE_APP.forEach(env::remove);
            env.putAll(cmd.env());
            env.put("ROBOFLARE_RELEASE_ID", release.id());
            env.put("ROBOFLARE_RELEASE_SEMVER", release.semver());
            Process p = pb.start();
            long pid = awaitPid(pidFile, p);
            String startTime = ProcStat.startTime(pid);
            return new AppRecord("process", release.id(), release.semver(), pid, startTime, log.toString(),
                    exitFile.toString(), null);
        } catch (IOException e) {
            throw new LaunchException("could not start release " + release.semver() + ": " + e.getMessage());
        }
    }

    /** The wrapper's own $$, written before it runs anything (setsid may have forked). */
    private static long awaitPid(Path pidFile, Process p) throws IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(pidFile)) {
                String s = Files.readString(pidFile).trim();
                if (!s.isEmpty()) {
                    return Long.parseLong(s);
                }
            }
            if (!p.isAlive() && p.exitValue() != 0 && !Files.exists(pidFile)) {
                throw new IOException("setsid/sh exited with " + p.exitValue() + " before the app started "
                        + "(is util-linux installed?)");
            }
            sleep(10);
        }
        throw new IOException("the app wrapper did not write " + pidFile + " within 10s");
    }

    private void stopLeftover(Path pidFile) {
        try {
            if (Files.exists(pidFile)) {
                long pid = Long.parseLong(Files.readString(pidFile).trim());
                if (ProcStat.alive(pid, null) && isOurWrapper(pid)) {
                    Log.warn().kv("step", "start").kv("outcome", "stopping-leftover").kv("pid", pid)
                            .msg("a copy of this release was still running from before; stopping it").emit();
                    stop(new AppRecord("process", null, null, pid, ProcStat.startTime(pid), null, null, null));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // a stale or half-written pid file: nothing to stop
        }
    }

    private static boolean isOurWrapper(long pid) {
        try {
            byte[] cmdline = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            return new String(cmdline, StandardCharsets.UTF_8).contains("roboflare-app");
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public AppStatus status(AppRecord app) {
        if (app.exitFile() != null) {
            Path exit = Path.of(app.exitFile());
            if (Files.exists(exit)) {
                try {
                    int code = Integer.parseInt(Files.readString(exit).trim());
                    return AppStatus.exited(code, describe(code));
                } catch (IOException | NumberFormatException e) {
                    return AppStatus.exited(null, "exited (exit code file unreadable)");
                }
            }
        }
        if (ProcStat.alive(app.pid(), app.startTime())) {
            return AppStatus.isRunning();
        }
        // The wrapper writes the exit file just before it exits; give that write a moment.
        sleep(50);
        if (app.exitFile() != null && Files.exists(Path.of(app.exitFile()))) {
            return status(app);
        }
        return AppStatus.exited(null, "was killed (no exit code recorded)");
    }

    static String describe(int code) {
        if (code > 128 && code < 160) {
            return "exited with code " + code + " (killed by signal " + (code - 128) + ")";
        }
        return "exited with code " + code;
    }

    @Override
    public void stop(AppRecord app) {
        if (!ProcStat.alive(app.pid(), app.startTime())) {
            return;
        }
        signalGroup(app.pid(), "TERM");
        if (waitGone(app, stopGrace)) {
            return;
        }
        Log.warn().kv("release", app.releaseSemver()).kv("step", "stop").kv("outcome", "sigkill").kv("pid", app.pid())
                .msg("the app ignored SIGTERM for " + stopGrace.toSeconds() + "s; sending SIGKILL").emit();
        signalGroup(app.pid(), "KILL");
        waitGone(app, Duration.ofSeconds(5));
    }

    private static boolean waitGone(AppRecord app, Duration d) {
        long deadline = System.nanoTime() + d.toNanos();
        while (System.nanoTime() < deadline) {
            if (!ProcStat.alive(app.pid(), app.startTime())) {
                return true;
            }
            sleep(50);
        }
        return !ProcStat.alive(app.pid(), app.startTime());
    }

    private static void signalGroup(long pgid, String signal) {
        try {
            Commands.run(List.of("kill", "-" + signal, "--", "-" + pgid), Duration.ofSeconds(5));
        } catch (IOException e) {
            Log.warn().kv("step", "stop").kv("outcome", "error").msg("kill -" + signal + " -" + pgid + " failed: "
                    + e.getMessage()).emit();
        }
    }

    @Override
    public List<String> lastLines(AppRecord app, int n) {
        if (app.logFile() == null) {
            return List.of();
        }
        return tail(Path.of(app.logFile()), n);
    }

    /** The last {@code n} lines after the last start marker, reading at most the last 64 KiB of the log. */
    static List<String> tail(Path log, int n) {
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            long len = f.length();
            int take = (int) Math.min(len, 64 * 1024);
            byte[] buf = new byte[take];
            f.seek(len - take);
            f.readFully(buf);
            List<String> lines = new ArrayList<>(Arrays.asList(new String(buf, StandardCharsets.UTF_8).split("\n")));
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (lines.get(i).startsWith(MARKER)) {
                    lines = new ArrayList<>(lines.subList(i + 1, lines.size()));
                    break;
                }
            }
            lines.removeIf(String::isEmpty);
            return List.copyOf(lines.subList(Math.max(0, lines.size() - n), lines.size()));
        } catch (IOException e) {
            return List.of();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
