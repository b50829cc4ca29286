package dev.roboflare.planner.builds;

import dev.roboflare.planner.github.WorkflowRun;
import dev.roboflare.planner.stack.BuildPipeline;
import java.util.List;
import java.util.Optional;

/** What track-builds found for one tag: the runs, their key jobs, and problems fetching jobs. */
public record BuildReport(
        BuildPipeline pipeline,
        String owner,
        String tag,
        ReleaseRuns runs,
        List<KeyJobs.KeyJob> keyJobs,
        List<String> warnings) {

    /**
     * The Slack copy block of the seeds, with exactly two links:
     * {@code Flex release `TAG` - app: <app run URL> - flex: <robot OS run URL>}.
     */
    public String slackLine() {
        return pipeline.platform().displayName() + " release `" + tag + "` - app: " + url(runs.app())
                + " - " + pipeline.slackLabel() + ": " + url(runs.robotOs());
    }

    private static String url(Optional<WorkflowRun> run) {
        return run.map(WorkflowRun::htmlUrl).orElse("(run not found yet)");
    }
}
