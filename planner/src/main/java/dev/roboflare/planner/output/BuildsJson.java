package dev.roboflare.planner.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roboflare.planner.builds.BuildReport;
import dev.roboflare.planner.builds.KeyJobs;
import dev.roboflare.planner.github.WorkflowRun;
import java.util.Optional;

/** track-builds --json: snake_case, absent runs are null. */
public final class BuildsJson {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private BuildsJson() {
    }

    public static String render(BuildReport report, String toolVersion) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("tool", "roboflare-planner");
        root.put("tool_version", toolVersion);
        root.put("advisory", true);
        root.put("path", report.pipeline().platform().cliName());
        root.put("tag", report.tag());
        root.put("complete", report.runs().complete());
        ObjectNode runs = root.putObject("runs");
        run(runs, "app", report.owner() + "/" + report.pipeline().appRepo(), report.runs().app());
        run(runs, "kickoff", report.owner() + "/" + report.pipeline().appRepo(), report.runs().kickoff());
        run(runs, "robot_os", report.owner() + "/" + report.pipeline().robotOsRepo(), report.runs().robotOs());
        report.runs().missing().forEach(root.putArray("missing")::add);
        var jobs = root.putArray("key_jobs");
        for (KeyJobs.KeyJob job : report.keyJobs()) {
            jobs.addObject().put("run", job.run()).put("kind", job.kind()).put("name", job.job().name())
                    .put("status", job.job().status()).put("conclusion", job.job().conclusion())
                    .put("html_url", job.job().htmlUrl());
        }
        root.put("slack", report.slackLine());
        report.warnings().forEach(root.putArray("warnings")::add);
        try {
            return MAPPER.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("report could not be written as JSON", e);
        }
    }

    private static void run(ObjectNode runs, String key, String repo, Optional<WorkflowRun> run) {
        if (run.isEmpty()) {
            runs.putNull(key);
            return;
        }
        WorkflowRun r = run.get();
        runs.putObject(key).put("repo", repo).put("id", r.id()).put("name", r.name()).put("display_title", r.displayTitle())
                .put("event", r.event()).put("head_branch", r.headBranch()).put("status", r.status())
                .put("conclusion", r.conclusion()).put("html_url", r.htmlUrl()).put("created_at", r.createdAt());
    }
}
