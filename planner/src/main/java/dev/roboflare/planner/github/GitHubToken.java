package dev.roboflare.planner.github;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** The GitHub token: {@code GITHUB_TOKEN} if set, else what {@code gh auth token} prints, else none. */
public final class GitHubToken {
    private GitHubToken() {
    }

    public static Optional<String> resolve(Function<String, String> env) {
        String fromEnv = env.apply("GITHUB_TOKEN");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Optional.of(fromEnv.trim());
        }
        return fromGhCli();
    }

    static Optional<String> fromGhCli() {
        try {
            Process gh = new ProcessBuilder("gh", "auth", "token").redirectErrorStream(false)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            gh.getOutputStream().close();
            if (!gh.waitFor(10, TimeUnit.SECONDS)) {
                gh.destroyForcibly();
                return Optional.empty();
            }
            String out = new String(gh.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return gh.exitValue() == 0 && !out.isEmpty() ? Optional.of(out) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
