package dev.roboflare.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roboflare.protocol.WireJson;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;

/** Runs the command line in-process, exactly as main() does but with a given environment and captured output. */
final class CliRun {
    record Result(int code, String out, String err) {
        JsonNode json() {
            try {
                return WireJson.lenient().readTree(out);
            } catch (Exception e) {
                throw new AssertionError("stdout is not JSON (exit " + code + ", stderr " + err + "):\n" + out, e);
            }
        }

        Result ok() {
            if (code != 0) {
                throw new AssertionError("exit " + code + "\nstdout:\n" + out + "\nstderr:\n" + err);
            }
            return this;
        }

        @Override
        public String toString() {
            return "exit " + code + "\nstdout:\n" + out + "\nstderr:\n" + err;
        }
    }

    private final Map<String, String> env;
    private final Path home;

    CliRun(Map<String, String> env, Path home) {
        this.env = env;
        this.home = home;
    }

    Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new Session(env, home, new PrintWriter(out, true), new PrintWriter(err, true), false), args);
        return new Result(code, out.toString(), err.toString());
    }
}
