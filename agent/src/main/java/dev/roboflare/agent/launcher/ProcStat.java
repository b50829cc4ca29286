package dev.roboflare.agent.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads /proc/PID/stat: whether a process is alive, and its start time (to tell a reused PID apart). */
public final class ProcStat {
    private ProcStat() {
    }

    /** Field 22 (starttime, clock ticks after boot), or null when the process does not exist. */
    public static String startTime(long pid) {
        String[] f = fields(pid);
        return f == null ? null : f[19];
    }

    /** True when {@code pid} runs (not a zombie) and, if {@code startTime} is given, started at that time. */
    public static boolean alive(long pid, String startTime) {
        if (pid <= 0) {
            return false;
        }
        String[] f = fields(pid);
        if (f == null || "Z".equals(f[0]) || "X".equals(f[0])) {
            return false;
        }
        return startTime == null || startTime.equals(f[19]);
    }

    /** Fields after the command name: [0] = state (field 3), [19] = starttime (field 22). */
    private static String[] fields(long pid) {
        try {
            String s = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.UTF_8);
            int close = s.lastIndexOf(')');
            String[] f = s.substring(close + 2).trim().split(" ");
            return f.length > 19 ? f : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
