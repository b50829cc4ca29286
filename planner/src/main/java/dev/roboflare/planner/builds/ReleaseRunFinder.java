package dev.roboflare.planner.builds;

import dev.roboflare.planner.github.GitHubApi;
import dev.roboflare.planner.github.WorkflowRun;
import dev.roboflare.planner.stack.BuildPipeline;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the runs of one release tag (seeds, "Track release builds"):
 * <ul>
 *   <li>app: "App test, build, and deploy" in the app repo, a push event whose head branch is the tag;</li>
 *   <li>kickoff: "Start Flex build" / "Start OT-2 build" in the app repo, head branch the tag;</li>
 *   <li>robot OS: a workflow_dispatch run in oe-core / buildroot whose title names {@code refs/tags/TAG},
 *       created at or after the kickoff run (so it cannot be matched before the kickoff exists).</li>
 * </ul>
 * When a tag was pushed more than once, the newest matching run wins.
 */
public final class ReleaseRunFinder {
    static final int MAX_PAGES = 5;
    private static final Comparator<WorkflowRun> NEWEST = Comparator.comparing(WorkflowRun::created)
            .thenComparingLong(WorkflowRun::id);

    private final GitHubApi github;
    private final String owner;

    public ReleaseRunFinder(GitHubApi github, String owner) {
        this.github = github;
        this.owner = owner;
    }

    public ReleaseRuns find(BuildPipeline pipeline, String tag) {
        Map<String, String> byTag = new LinkedHashMap<>();
        byTag.put("branch", tag);
        List<WorkflowRun> appRepoRuns = github.workflowRuns(owner + "/" + pipeline.appRepo(), byTag, MAX_PAGES).stream()
                .filter(run -> tag.equals(run.headBranch()))
                .toList();
        Optional<WorkflowRun> app = appRepoRuns.stream()
                .filter(run -> pipeline.appWorkflow().equals(run.name()) && "push".equals(run.event()))
                .max(NEWEST);
        Optional<WorkflowRun> kickoff = appRepoRuns.stream()
                .filter(run -> pipeline.kickoffWorkflow().equals(run.name()))
                .max(NEWEST);
        Optional<WorkflowRun> robotOs = kickoff.flatMap(start -> robotOsRun(pipeline, tag, start.created()));
        return new ReleaseRuns(app, kickoff, robotOs);
    }

    private Optional<WorkflowRun> robotOsRun(BuildPipeline pipeline, String tag, Instant notBefore) {
        Map<String, String> filters = new LinkedHashMap<>();
        filters.put("event", "workflow_dispatch");
        filters.put("created", ">=" + notBefore.truncatedTo(ChronoUnit.SECONDS));
        return github.workflowRuns(owner + "/" + pipeline.robotOsRepo(), filters, MAX_PAGES).stream()
                .filter(run -> "workflow_dispatch".equals(run.event()))
                .filter(run -> !run.created().isBefore(notBefore))
                .filter(run -> namesTag(run.displayTitle(), tag))
                .max(NEWEST);
    }

    /** True when {@code title} contains {@code refs/tags/TAG} as a whole ref (so alpha.1 does not match alpha.10). */
    static boolean namesTag(String title, String tag) {
        if (title == null) {
            return false;
        }
        String ref = "refs/tags/" + tag;
        for (int at = title.indexOf(ref); at >= 0; at = title.indexOf(ref, at + 1)) {
            int end = at + ref.length();
            if (end == title.length() || !isRefChar(title.charAt(end))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isRefChar(char c) {
        return Character.isLetterOrDigit(c) || c == '.' || c == '-' || c == '_' || c == '@' || c == '/' || c == '+';
    }
}
