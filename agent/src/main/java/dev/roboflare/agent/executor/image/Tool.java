package dev.roboflare.agent.executor.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs one robot-side tool (fw_setenv, grub-editenv, mount, the reboot command) and answers what it printed. */
final class Tool {
    private Tool() {
    }

    /** stdout of {@code command}; an IOException naming the command, its exit code and its stderr when it fails. */
    static String run(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        var err = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try (var stderr = p.getErrorStream()) {
                return stderr.readAllBytes();
            } catch (IOException e) {
                return new byte[0];
            }
        });
        byte[] out;
        try (var stdout = p.getInputStream()) {
            out = stdout.readAllBytes();
        }
        try {
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish within 5 minutes");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(String.join(" ", command) + " was interrupted");
        }
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " exited " + p.exitValue() + ": "
                    + new String(err.join(), StandardCharsets.UTF_8).strip());
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    /** {@code sh -c line}: the configured commands (--reboot-command, --booted-slot-command) are shell lines. */
    static String shell(String line) throws IOException {
        return run(List.of("/bin/sh", "-c", line));
    }
}
