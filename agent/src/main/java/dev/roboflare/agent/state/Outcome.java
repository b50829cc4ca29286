package dev.roboflare.agent.state;

import dev.roboflare.protocol.DeploymentStatus;

/**
 * The decided end of a deployment. {@code eventId} is made once, when the outcome is decided, and persisted
 * with it, so a crash and a replay send the same event id (the control plane ignores the duplicate).
 */
public record Outcome(String eventId, DeploymentStatus status, String detail) {
}
