package dev.roboflare.agent.executor.module;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One call of an update module, as the Update Module protocol v3 defines it: {@code <module> <State> <work dir>}
 * with the work dir as working directory, stdout and stderr captured together (the last lines are kept for the
 * event detail), ended with SIGKILL (the module and its children) when it outlives the timeout.
 */
final class ModuleCall {
    static final int KEPT_LINES = 20;

    /** How a call ended: {@code exitCode} null when it was killed at the timeout. */
    record Result(String state, Integer exitCode, List<String> lines, long millis) {
        boolean ok() {
            return exitCode != null && exitCode == 0;
        }

        /** The query answer: the last line printed. */
        String answer() {
            return lines.isEmpty() ? "" : lines.get(lines.size() - 1).trim();
        }

        String how(Duration timeout) {
            return exitCode == null ? "did not finish within " + timeout.toSeconds() + " s and was killed"
                    : "exited with code " + exitCode;
        }
    }

    private ModuleCall() {
    }

    static Result run(Path module, String state, Path workDir, Duration timeout) throws IOException {
        long started = System.nanoTime();
        Process p = new ProcessBuilder(module.toString(), state, workDir.toString()).directory(workDir.toFile())
                .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        Deque<String> last = new ArrayDeque<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (last) {
                        last.addLast(line);
                        if (last.size() > KEPT_LINES) {
                            last.removeFirst();
                        }
                    }
                }
            } catch (IOException ignored) {
                // the module was killed; what was read is kept
            }
        }, "module-output");
        reader.setDaemon(true);
        reader.start();
        Integer code;
        try {
            if (p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                code = p.exitValue();
            } else {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
                code = null;
            }
            reader.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            code = null;
        }
        synchronized (last) {
            return new Result(state, code, List.copyOf(last), (System.nanoTime() - started) / 1_000_000L);
        }
    }
}
