package dev.roboflare.planner.github;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/** One GitHub Actions workflow run, as "List workflow runs for a repository" returns it (fields used here only). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record WorkflowRun(
        @JsonProperty("id") long id,
        @JsonProperty("name") String name,
        @JsonProperty("display_title") String displayTitle,
        @JsonProperty("event") String event,
        @JsonProperty("head_branch") String headBranch,
        @JsonProperty("status") String status,
        @JsonProperty("conclusion") String conclusion,
        @JsonProperty("html_url") String htmlUrl,
        @JsonProperty("created_at") String createdAt) {

    /** Creation time; GitHub writes ISO-8601 UTC ("2026-05-26T15:01:02Z"). Unparseable or absent: the epoch. */
    public Instant created() {
        try {
            return createdAt == null ? Instant.EPOCH : Instant.parse(createdAt);
        } catch (java.time.format.DateTimeParseException e) {
            return Instant.EPOCH;
        }
    }

    /** "completed (success)", "in_progress", "queued" ... */
    public String state() {
        return conclusion == null || conclusion.isBlank() ? String.valueOf(status) : status + " (" + conclusion + ")";
    }
}
