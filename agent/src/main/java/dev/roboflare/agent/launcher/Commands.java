package dev.roboflare.agent.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a short system command (kill, systemctl, journalctl) and returns its exit code and output. */
final class Commands {
    private Commands() {
    }

    record Result(int code, String output) {
    }

    static Result run(List<String> command, Duration timeout) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        byte[] out;
        try (InputStream in = p.getInputStream()) {
            out = in.readNBytes(256 * 1024);
        }
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish within " + timeout.toSeconds()
                        + "s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted while running " + command.get(0), e);
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8).trim());
    }
}
