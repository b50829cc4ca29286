package dev.roboflare.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;

/**
 * What one run of the command line sees of the world: its environment, its home, its output streams and whether
 * stdout is a terminal. Passed in rather than read from System so the tests run commands in-process.
 */
public record Session(Map<String, String> env, Path home, PrintWriter out, PrintWriter err, boolean terminal) {

    public String env(String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? null : v.strip();
    }
}
