package dev.roboflare.agent.state;

/**
 * The running app as persisted in state.json, so a restarted agent re-adopts it instead of starting a second
 * copy. {@code startTime} is the kernel's start time of {@code pid} (field 22 of /proc/PID/stat): a PID that was
 * reused by another process has a different start time and is not mistaken for the app.
 *
 * @param launcher  "process" or "systemd"
 * @param pid       the process group leader (detached launcher) or the unit's MainPID (systemd)
 * @param logFile   where the app's stdout and stderr go (detached launcher)
 * @param exitFile  where the wrapper writes the app's exit code (detached launcher)
 * @param unit      the systemd unit (systemd launcher), or the container id (launcher "docker")
 */
public record AppRecord(String launcher, String releaseId, String releaseSemver, long pid, String startTime,
                        String logFile, String exitFile, String unit) {
}
