package dev.roboflare.agent.launcher;

import dev.roboflare.agent.state.AppRecord;
import dev.roboflare.agent.state.ReleaseRecord;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the app as a systemd unit the installer wrote (its ExecStart runs the app from STATE/current, so swapping
 * the symlink and restarting the unit switches releases). Watched through
 * {@code systemctl show -p MainPID,ActiveState,ExecMainStatus}: the app has "exited" when the unit is no longer
 * active or its MainPID changed (systemd restarted it). The manifest's entrypoint is the unit's business here.
 */
public final class SystemdLauncher implements AppLauncher {
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private final String unit;

    public SystemdLauncher(String unit) {
        this.unit = unit;
    }

    @Override
    public AppRecord start(ReleaseRecord release) throws LaunchException {
        try {
            Commands.Result r = Commands.run(List.of("systemctl", "restart", unit), TIMEOUT);
            if (r.code() != 0) {
                throw new LaunchException("systemctl restart " + unit + " failed (exit " + r.code() + "): "
                        + r.output());
            }
            Map<String, String> show = show();
            long pid = Long.parseLong(show.getOrDefault("MainPID", "0"));
            return new AppRecord("systemd", release.id(), release.semver(), pid, ProcStat.startTime(pid), null, null,
                    unit);
        } catch (IOException | NumberFormatException e) {
            throw new LaunchException("could not restart " + unit + ": " + e.getMessage());
        }
    }

    @Override
    public AppStatus status(AppRecord app) {
        try {
            Map<String, String> s = show();
            String active = s.getOrDefault("ActiveState", "unknown");
            long pid = Long.parseLong(s.getOrDefault("MainPID", "0"));
            boolean up = active.equals("active") || active.equals("activating") || active.equals("reloading");
            if (up && pid != 0 && pid == app.pid()) {
                return AppStatus.isRunning();
            }
            Integer code = s.containsKey("ExecMainStatus") ? Integer.valueOf(s.get("ExecMainStatus")) : null;
            return AppStatus.exited(code, "unit " + unit + " is " + active + (pid != app.pid() && pid != 0
                    ? " and was restarted by systemd (pid " + app.pid() + " -> " + pid + ")" : "")
                    + (code == null ? "" : ", exit status " + code));
        } catch (IOException | NumberFormatException e) {
            return AppStatus.exited(null, "systemctl show " + unit + " failed: " + e.getMessage());
        }
    }

    @Override
    public void stop(AppRecord app) {
        try {
            Commands.run(List.of("systemctl", "stop", unit), TIMEOUT);
        } catch (IOException e) {
            // reported by the next status check
        }
    }

    @Override
    public List<String> lastLines(AppRecord app, int n) {
        try {
            Commands.Result r = Commands.run(List.of("journalctl", "-u", unit, "-n", Integer.toString(n), "-o", "cat",
                    "--no-pager"), Duration.ofSeconds(10));
            return r.output().isEmpty() ? List.of() : Arrays.asList(r.output().split("\n"));
        } catch (IOException e) {
            return List.of();
        }
    }

    private Map<String, String> show() throws IOException {
        Commands.Result r = Commands.run(List.of("systemctl", "show", unit, "-p", "MainPID,ActiveState,ExecMainStatus"),
                TIMEOUT);
        if (r.code() != 0) {
            throw new IOException("exit " + r.code() + ": " + r.output());
        }
        Map<String, String> m = new HashMap<>();
        for (String line : r.output().split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                m.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
            }
        }
        return m;
    }
}
