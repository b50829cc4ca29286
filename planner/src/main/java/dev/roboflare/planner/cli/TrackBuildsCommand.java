package dev.roboflare.planner.cli;

import dev.roboflare.planner.PlanningException;
import dev.roboflare.planner.builds.BuildReport;
import dev.roboflare.planner.builds.BuildTracker;
import dev.roboflare.planner.builds.BuildWaiter;
import dev.roboflare.planner.builds.JobFetcher;
import dev.roboflare.planner.builds.ReleaseRunFinder;
import dev.roboflare.planner.github.GitHubApi;
import dev.roboflare.planner.github.GitHubException;
import dev.roboflare.planner.output.BuildsJson;
import dev.roboflare.planner.output.BuildsPrinter;
import dev.roboflare.planner.stack.BuildPipeline;
import dev.roboflare.planner.stack.ReleaseTag;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code track-builds}: finds the app, kickoff and robot OS GitHub Actions runs of a pushed app tag
 * and prints their key jobs and the Slack copy block. Read-only: it never triggers or cancels a run.
 */
@Command(
        name = "track-builds",
        description = "Find the CI runs of a pushed app tag (app, kickoff, robot OS), their key jobs, and the Slack links.",
        footer = {"", "Exit codes: 0 all three runs found, 1 GitHub error, 2 bad flags or a run still missing.", "",
                "Example:", "  roboflare-planner track-builds --non-interactive --path flex --tag ot3@8.5.0-alpha.0 --wait"})
final class TrackBuildsCommand implements Callable<Integer> {
    static final int RUN_MISSING = 2;

    @Spec
    CommandSpec spec;

    @Mixin
    TagOptions tagOptions = new TagOptions();

    @Option(names = "--wait", description = "Poll until the app, kickoff and robot OS runs all exist, or --timeout passes.")
    boolean await;

    @Option(names = "--poll-interval", paramLabel = "SECONDS", defaultValue = "15", description = "Seconds between looks with --wait (default ${DEFAULT-VALUE}).")
    long pollSeconds;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "900", description = "Give up waiting after this many seconds (default ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    @Option(names = "--github-api-url", paramLabel = "URL", defaultValue = GitHubApi.DEFAULT_BASE_URL, description = "GitHub REST API base (default ${DEFAULT-VALUE}).")
    String githubApiUrl;

    @Option(names = "--owner", paramLabel = "OWNER", defaultValue = "Opentrons", description = "GitHub owner of the stack repos (default ${DEFAULT-VALUE}).")
    String owner;

    @Option(names = "--json", description = "Print the runs and jobs as one JSON document.")
    boolean json;

    private final PlannerServices services;

    TrackBuildsCommand(PlannerServices services) {
        this.services = services;
    }

    @Override
    public Integer call() throws InterruptedException {
        if (pollSeconds < 1 || timeoutSeconds < 0) {
            throw new ParameterException(spec.commandLine(), "--poll-interval must be at least 1 and --timeout at least 0 seconds");
        }
        ReleaseTag tag = tagOptions.parse(spec);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Optional<String> token = services.githubToken().get();
        if (token.isEmpty()) {
            err.println("warning: no GITHUB_TOKEN and no `gh auth token`: unauthenticated GitHub calls are limited to 60 an hour");
            err.flush();
        }
        GitHubApi github;
        try {
            github = GitHubApi.create(githubApiUrl, token, "roboflare-planner/" + ToolVersion.current(), services.clock(),
                    services.sleeper(), line -> {
                        err.println(line);
                        err.flush();
                    });
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--github-api-url: " + e.getMessage());
        }
        ReleaseRunFinder finder = new ReleaseRunFinder(github, owner);
        Optional<BuildWaiter> waiter = await
                ? Optional.of(new BuildWaiter(finder, services.clock(), services.sleeper(), Duration.ofSeconds(pollSeconds),
                        Duration.ofSeconds(timeoutSeconds), line -> {
                            err.println(line);
                            err.flush();
                        }))
                : Optional.empty();
        BuildPipeline pipeline = BuildPipeline.of(tag.platform());
        BuildReport report;
        try {
            report = new BuildTracker(finder, waiter, new JobFetcher(github, services.sleeper()), owner).track(pipeline, tag.name());
        } catch (GitHubException e) {
            throw new PlanningException(e.getMessage(), e);
        }
        if (json) {
            out.println(BuildsJson.render(report, ToolVersion.current()));
            out.flush();
        } else {
            new BuildsPrinter(out).print(report);
        }
        if (!report.runs().complete()) {
            err.println((await ? "after " + timeoutSeconds + " s, " : "") + "still missing: "
                    + String.join(", ", report.runs().missing()) + " run(s) of " + tag.name()
                    + (await ? "" : " (add --wait to poll for them)"));
            err.flush();
            return RUN_MISSING;
        }
        return 0;
    }
}
