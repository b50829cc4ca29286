package dev.roboflare.planner.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roboflare.planner.git.CommitSummary;
import dev.roboflare.planner.git.SyncOutcome;
import dev.roboflare.planner.git.TagRef;
import dev.roboflare.planner.plan.FlexBase;
import dev.roboflare.planner.plan.PushStep;
import dev.roboflare.planner.plan.ReleasePlan;
import dev.roboflare.planner.plan.RepoPlan;
import dev.roboflare.planner.plan.TagRule;
import java.util.List;
import java.util.Locale;

/**
 * The plan as one JSON document for scripts. Field names are snake_case and stable; absent values
 * are JSON null rather than missing keys, so a script can read every field of every repo.
 */
public final class PlanJson {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private PlanJson() {
    }

    public static String render(ReleasePlan plan, List<SyncOutcome> sync, String toolVersion) {
        ObjectNode root = MAPPER.createObjectNode();
        var request = plan.request();
        root.put("tool", "roboflare-planner");
        root.put("tool_version", toolVersion);
        root.put("advisory", true);
        root.put("path", request.platform().cliName());
        root.put("release_type", request.releaseType().cliName());
        root.put("stability", request.stability().cliName());
        root.put("base_version", plan.baseVersion().map(Object::toString).orElse(null));
        root.put("base_version_inferred", plan.baseVersionInferred());
        root.put("base_version_source", plan.flexBase().map(FlexBase::source).orElse(null));
        root.put("base_version_from", plan.flexBase().map(FlexBase::from).orElse(null));
        root.put("now", request.now().toString());
        root.put("eastern_date", plan.easternDate().toString());
        root.put("workspace", request.workspace().toAbsolutePath().normalize().toString());
        ArrayNode repos = root.putArray("repos");
        for (RepoPlan repo : plan.repos()) {
            ObjectNode node = repos.addObject();
            node.put("repo", repo.repo().name());
            node.put("role", repo.repo().role().name().toLowerCase(Locale.ROOT));
            node.put("pattern", repo.pattern());
            node.put("branch", repo.branch());
            node.put("branch_source", repo.rule().branchSource());
            node.put("tip", repo.tip());
            node.put("latest_tag", repo.latestTag().map(TagRef::name).orElse(null));
            node.put("latest_tag_commit", repo.latestTag().map(TagRef::commit).orElse(null));
            node.put("needs_tag", repo.needsTag());
            node.put("next_tag", repo.nextTag().orElse(null));
            node.put("tag_message", repo.nextTag().isPresent() ? repo.tagMessage() : null);
            TagRule rule = repo.rule();
            node.putObject("tag_rule").put("id", rule.id()).put("branch_source", rule.branchSource())
                    .put("base", rule.base().orElse(null)).put("base_source", rule.baseSource())
                    .put("base_from", rule.baseFrom()).put("text", rule.text());
            node.put("compare_url", repo.compareUrl().orElse(null));
            node.put("commits_since_total", repo.commitsSince().total());
            ArrayNode commits = node.putArray("commits_since");
            for (CommitSummary commit : repo.commitsSince().shown()) {
                commits.addObject().put("sha", commit.sha()).put("subject", commit.subject()).put("author", commit.author());
            }
            ArrayNode commands = node.putArray("commands");
            if (repo.nextTag().isPresent()) {
                TagCommands.forRepo(repo).forEach(commands::add);
            }
        }
        ArrayNode push = root.putArray("push_order");
        for (PushStep step : plan.pushOrder()) {
            push.addObject().put("step", step.step()).put("repo", step.repo()).put("tag", step.tag());
        }
        root.put("release_tag", plan.releaseTag().orElse(null));
        plan.nextSteps().forEach(root.putArray("next_steps")::add);
        plan.rules().forEach(root.putArray("rules")::add);
        plan.warnings().forEach(root.putArray("warnings")::add);
        ArrayNode syncNode = root.putArray("sync");
        for (SyncOutcome outcome : sync) {
            syncNode.addObject().put("repo", outcome.repo()).put("result", outcome.kind().name().toLowerCase(Locale.ROOT))
                    .put("detail", outcome.detail());
        }
        try {
            return MAPPER.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("plan could not be written as JSON", e);
        }
    }
}
