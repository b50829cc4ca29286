package dev.roboflare.planner.github;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** One job of a workflow run, as "List jobs for a workflow run" returns it (fields used here only). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record WorkflowJob(
        @JsonProperty("name") String name,
        @JsonProperty("status") String status,
        @JsonProperty("conclusion") String conclusion,
        @JsonProperty("html_url") String htmlUrl) {

    public String state() {
        return conclusion == null || conclusion.isBlank() ? String.valueOf(status) : status + " (" + conclusion + ")";
    }
}
