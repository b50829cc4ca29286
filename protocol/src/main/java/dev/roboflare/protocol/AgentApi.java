package dev.roboflare.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * Wire records of the agent API ({@code Authorization: Bearer <robot token>}); a robot sees only its own
 * deployments. Field names are snake_case on the wire (see {@link WireJson}).
 */
public final class AgentApi {
    private AgentApi() {
    }

    /**
     * {@code GET /api/agent/deployments}: the robot's deployments in status {@code dispatched}, oldest first.
     * {@code pollIntervalSeconds} is the control plane's hint for the next poll (null: use the agent's own).
     */
    public record Poll(List<Deployment> deployments, Integer pollIntervalSeconds) {
    }

    /**
     * {@code signature} (nullable: unsigned, or a control plane that predates signing) is the release's newest
     * {@link SignedStatement}; an agent with trusted keys refuses a deployment without a valid one.
     */
    public record Deployment(String id, Release release, Artifact artifact, SignedStatement signature) {
        public Deployment(String id, Release release, Artifact artifact) {
            this(id, release, artifact, null);
        }
    }

    public record Release(String id, String semver, JsonNode manifestJson) {
    }

    /**
     * {@code downloadUrl} is absolute, short-lived and signed (HMAC + expiry); it needs no bearer token.
     * {@code chunksUrl} (nullable: a control plane without chunk indexes) is signed the same way: GET answers the
     * artifact's {@link ChunkIndex}, POST with chunk hashes answers those chunks (delta downloads).
     */
    public record Artifact(String id, ArtifactKind kind, String name, String sha256, long size, String downloadUrl,
                           String chunksUrl) {
        public Artifact(String id, ArtifactKind kind, String name, String sha256, long size, String downloadUrl) {
            this(id, kind, name, sha256, size, downloadUrl, null);
        }
    }

    /**
     * {@code POST /api/agent/deployments/{id}/events} body. The same {@code eventId} again is a no-op, so the
     * agent retries freely. {@code seq} (nullable, for agents that predate it) is the robot's own event sequence
     * number: increasing per robot across deployments and restarts, the same on every resend of an event, so a
     * gap shows an event that never arrived.
     */
    public record Event(String eventId, DeploymentStatus status, String detail, Long seq) {
        public Event(String eventId, DeploymentStatus status, String detail) {
            this(eventId, status, detail, null);
        }
    }
}
