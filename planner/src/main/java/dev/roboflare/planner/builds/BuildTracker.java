package dev.roboflare.planner.builds;

import dev.roboflare.planner.github.GitHubException;
import dev.roboflare.planner.github.WorkflowJob;
import dev.roboflare.planner.github.WorkflowRun;
import dev.roboflare.planner.stack.BuildPipeline;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** Finds (or waits for) a tag's runs, then fetches the key jobs of the runs that exist. */
public final class BuildTracker {
    private final ReleaseRunFinder finder;
    private final Optional<BuildWaiter> waiter;
    private final JobFetcher jobs;
    private final String owner;

    public BuildTracker(ReleaseRunFinder finder, Optional<BuildWaiter> waiter, JobFetcher jobs, String owner) {
        this.finder = finder;
        this.waiter = waiter;
        this.jobs = jobs;
        this.owner = owner;
    }

    public BuildReport track(BuildPipeline pipeline, String tag) throws InterruptedException {
        ReleaseRuns runs = waiter.isPresent() ? waiter.get().await(pipeline, tag) : finder.find(pipeline, tag);
        List<KeyJobs.KeyJob> key = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        key.addAll(keyJobs(runs.app(), pipeline.appRepo(), KeyJobs::ofApp, warnings));
        key.addAll(keyJobs(runs.kickoff(), pipeline.appRepo(), KeyJobs::ofKickoff, warnings));
        key.addAll(keyJobs(runs.robotOs(), pipeline.robotOsRepo(), KeyJobs::ofRobotOs, warnings));
        return new BuildReport(pipeline, owner, tag, runs, List.copyOf(key), List.copyOf(warnings));
    }

    private List<KeyJobs.KeyJob> keyJobs(Optional<WorkflowRun> run, String repo,
                                         Function<List<WorkflowJob>, List<KeyJobs.KeyJob>> pick, List<String> warnings)
            throws InterruptedException {
        if (run.isEmpty()) {
            return List.of();
        }
        try {
            return pick.apply(jobs.jobs(owner + "/" + repo, run.get().id()));
        } catch (GitHubException e) {
            warnings.add("jobs of " + repo + " run " + run.get().id() + " (" + run.get().name() + ") unavailable: "
                    + e.getMessage());
            return List.of();
        }
    }
}
