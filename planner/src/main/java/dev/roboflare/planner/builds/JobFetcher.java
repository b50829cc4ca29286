package dev.roboflare.planner.builds;

import dev.roboflare.planner.Sleeper;
import dev.roboflare.planner.github.GitHubApi;
import dev.roboflare.planner.github.GitHubException;
import dev.roboflare.planner.github.WorkflowJob;
import java.time.Duration;
import java.util.List;

/**
 * Jobs of a run. GitHub answers 404 for a few seconds after a run appears; those are retried
 * ({@code attempts} tries, {@code pause} apart). Any other error, or a 404 that stays, is passed on.
 */
public final class JobFetcher {
    public static final int ATTEMPTS = 5;
    public static final Duration PAUSE = Duration.ofSeconds(3);

    private final GitHubApi github;
    private final Sleeper sleeper;

    public JobFetcher(GitHubApi github, Sleeper sleeper) {
        this.github = github;
        this.sleeper = sleeper;
    }

    public List<WorkflowJob> jobs(String ownerRepo, long runId) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return github.jobs(ownerRepo, runId);
            } catch (GitHubException e) {
                if (!e.notFound() || attempt >= ATTEMPTS) {
                    throw e;
                }
                sleeper.sleep(PAUSE);
            }
        }
    }
}
