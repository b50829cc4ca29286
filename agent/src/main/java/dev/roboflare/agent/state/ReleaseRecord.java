package dev.roboflare.agent.state;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A release installed on this robot: enough to start it again without asking the control plane.
 * {@code dir} is the absolute release directory (STATE/releases/&lt;id&gt;).
 */
public record ReleaseRecord(String id, String semver, String dir, JsonNode manifest) {
}
