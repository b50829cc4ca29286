package dev.roboflare.planner.git;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the git command line. Sync goes through git itself, not JGit, so the engineer's credential
 * helpers, SSH keys and proxy settings apply exactly as they do for the commands we print.
 */
final class GitCli {
    record Result(int exitCode, String stdout, String stderr) {
        boolean ok() {
            return exitCode == 0;
        }
    }

    private final long timeoutMinutes;

    GitCli(long timeoutMinutes) {
        this.timeoutMinutes = timeoutMinutes;
    }

    Result run(Path workingDirectory, String... args) {
        List<String> command = new ArrayList<>();
        command.add("git");
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory.toFile());
        // Never hang on a credential prompt: the planner may run in CI or with no terminal.
        builder.environment().put("GIT_TERMINAL_PROMPT", "0");
        builder.environment().put("LC_ALL", "C");
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            // Drain both streams concurrently so a chatty fetch cannot block on a full pipe.
            var err = new java.util.concurrent.CompletableFuture<String>();
            Thread errReader = new Thread(() -> {
                try {
                    err.complete(new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException e) {
                    err.complete("");
                }
            });
            errReader.start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(timeoutMinutes, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                return new Result(-1, out, "git " + String.join(" ", args) + " timed out after " + timeoutMinutes + " min");
            }
            errReader.join();
            return new Result(process.exitValue(), out.strip(), err.join().strip());
        } catch (IOException e) {
            return new Result(-1, "", "cannot run git: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "", "interrupted");
        }
    }
}
