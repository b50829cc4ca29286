package dev.roboflare.planner.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs {@code go --json --no-sync} over a fixture workspace and gives back the parsed plan. */
public final class JsonPlan {
    public static final String NOW = "2026-05-26T15:00:00Z";

    private JsonPlan() {
    }

    public static JsonNode go(Path workspace, String... flags) {
        List<String> args = new ArrayList<>(List.of("go", "--non-interactive", "--skip-assumptions", "--no-sync", "--json",
                "--workspace", workspace.toString()));
        args.addAll(List.of(flags));
        if (!args.contains("--now")) {
            args.addAll(List.of("--now", NOW));
        }
        PlannerRun run = PlannerRun.run(args.toArray(String[]::new));
        assertThat(run.exitCode()).as("exit code; stderr: %s", run.err()).isZero();
        try {
            return new ObjectMapper().readTree(run.out());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + run.out(), e);
        }
    }

    public static JsonNode repo(JsonNode plan, String name) {
        for (JsonNode repo : plan.get("repos")) {
            if (repo.get("repo").asText().equals(name)) {
                return repo;
            }
        }
        throw new AssertionError("no repo " + name + " in " + plan);
    }

    /** The suggested tag, or null when the repo needs none. */
    public static String nextTag(JsonNode plan, String name) {
        JsonNode next = repo(plan, name).get("next_tag");
        return next.isNull() ? null : next.asText();
    }
}
