package dev.roboflare.planner.output;

import dev.roboflare.planner.builds.BuildReport;
import dev.roboflare.planner.builds.KeyJobs;
import dev.roboflare.planner.github.WorkflowRun;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** track-builds for people: the runs, their key jobs, and the Slack copy block. */
public final class BuildsPrinter {
    private final PrintWriter out;

    public BuildsPrinter(PrintWriter out) {
        this.out = out;
    }

    public void print(BuildReport report) {
        var pipeline = report.pipeline();
        out.println(pipeline.platform().displayName() + " release builds for " + report.tag()
                + " (advisory: read-only GitHub lookups)");
        out.println();
        out.println("Runs");
        List<String[]> runs = new ArrayList<>();
        runs.add(new String[] {"RUN", "REPO", "WORKFLOW", "STATUS", "URL"});
        runs.add(row("app", report.owner() + "/" + pipeline.appRepo(), pipeline.appWorkflow(), report.runs().app()));
        runs.add(row("kickoff", report.owner() + "/" + pipeline.appRepo(), pipeline.kickoffWorkflow(), report.runs().kickoff()));
        runs.add(row("robot OS", report.owner() + "/" + pipeline.robotOsRepo(), "workflow_dispatch for refs/tags/" + report.tag(),
                report.runs().robotOs()));
        TextTable.print(out, runs);

        out.println();
        out.println("Key jobs");
        if (report.keyJobs().isEmpty()) {
            out.println("  (none yet)");
        } else {
            List<String[]> jobs = new ArrayList<>();
            jobs.add(new String[] {"RUN", "KIND", "JOB", "STATUS", "LINK"});
            for (KeyJobs.KeyJob job : report.keyJobs()) {
                jobs.add(new String[] {job.run(), job.kind(), job.job().name(), job.job().state(),
                        String.valueOf(job.job().htmlUrl())});
            }
            TextTable.print(out, jobs);
        }
        if (!report.warnings().isEmpty()) {
            out.println();
            out.println("Warnings");
            report.warnings().forEach(w -> out.println("  ! " + w));
        }
        if (!report.runs().complete()) {
            out.println();
            out.println("Missing: " + String.join(", ", report.runs().missing()) + " run(s)."
                    + (report.runs().kickoff().isEmpty() ? " The robot OS run is matched only after the kickoff run exists." : ""));
        }
        out.println();
        out.println("Slack (copy):");
        out.println(report.slackLine());
        out.flush();
    }

    private static String[] row(String label, String repo, String workflow, Optional<WorkflowRun> run) {
        return run.map(r -> new String[] {label, repo, r.name() == null ? workflow : r.name(), r.state(), r.htmlUrl()})
                .orElse(new String[] {label, repo, workflow, "not found", "-"});
    }
}
