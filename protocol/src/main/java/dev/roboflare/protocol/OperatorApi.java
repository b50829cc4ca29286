package dev.roboflare.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * Wire records of the operator API ({@code Authorization: Bearer <operator token>}).
 * Field names are snake_case on the wire (see {@link WireJson}).
 */
public final class OperatorApi {
    private OperatorApi() {
    }

    /** {@code POST /api/artifacts?kind=K&name=N} answers with this (201, or 200 for bytes already stored). */
    public record Artifact(String id, ArtifactKind kind, String name, String sha256, long size, Instant createdAt) {
    }

    /**
     * {@code GET /api/artifacts/{id}/content}: what the artifact's chunk index covers (404 when it has none).
     * {@code over} is {@code artifact} (the stored bytes) or {@code gunzipped} (a gzipped tarball's tar stream, whose
     * {@code contentSha256} and {@code contentSize} {@code roboflare release sign} puts in the statement).
     */
    public record ArtifactContent(String artifactId, String over, String contentSha256, long contentSize, int chunks) {
    }

    /** {@code POST /api/releases} body. {@code manifestJson} is a JSON object (how the agent runs the app). */
    public record CreateRelease(String artifactId, String semver, String notes, JsonNode manifestJson) {
    }

    /** An immutable release: one artifact, one semver. */
    public record Release(String id, String artifactId, String semver, String notes, JsonNode manifestJson,
                          Instant createdAt) {
    }

    /** {@code POST /api/robots} body. */
    public record CreateRobot(String name) {
    }

    /** Answer to {@code POST /api/robots}: the only time the robot token is shown. */
    public record RobotCredentials(String id, String name, String token) {
    }

    /**
     * {@code GET /api/robots/{id}}: what a fleet operator wants to know about one robot. The last three are what
     * the robot's agent sent with its latest poll that had them (null: never reported): {@code clockSkewMs} from
     * the {@code Roboflare-Clock-Skew-Ms} header (control plane clock minus robot clock: positive when the
     * robot is behind), {@code agentMetrics} the
     * {@code Roboflare-Agent-Metrics} summary line, and when. {@code lastEventSeq} is the highest event number the
     * robot's agent has reported and {@code missingEventSeqs} how many numbers below it never arrived (still in its
     * outbox, or lost: a robot that stays above 0 for long deserves a look); both null before its first report.
     * {@code currentRelease*} is the newest applied release of an app kind; {@code firmwareRelease*} the newest
     * applied mcu_firmware release, kept apart because firmware does not replace the app (null: none).
     * {@code progress} is what its agent last said it is doing with its newest deployment (downloading 40%,
     * installing, watching 12/30 s), shown only while that deployment is dispatched; null otherwise and for agents
     * that do not report it.
     */
    public record Robot(String id, String name, Instant createdAt, Instant lastSeenAt,
                        String currentReleaseId, String currentReleaseSemver,
                        String lastDeploymentId, DeploymentStatus lastDeploymentStatus,
                        Long clockSkewMs, String agentMetrics, Instant agentReportedAt,
                        Long lastEventSeq, Long missingEventSeqs,
                        String firmwareReleaseId, String firmwareReleaseSemver, AgentApi.Progress progress) {
    }

    /** {@code POST /api/fleets} body. */
    public record CreateFleet(String name, List<String> robotIds) {
    }

    public record Fleet(String id, String name, List<String> robotIds) {
    }

    /**
     * {@code POST /api/deployments} body; requires an {@code Idempotency-Key} header. The last three are optional
     * (null: absent): {@code maxFailureRatio} and {@code batchSize} for fleet rollouts, {@code force} to offer a
     * release to robots that rolled it back before and to have the robots skip their update gate (an app's update
     * lock, a run in progress, the robot's maintenance windows): recorded in the created event.
     */
    public record CreateDeployment(String releaseId, TargetKind targetKind, String targetId, Instant scheduledAt,
                                   Double maxFailureRatio, Integer batchSize, Boolean force) {
        /** Without rollout options: the default failure ratio, no batches, no force. */
        public CreateDeployment(String releaseId, TargetKind targetKind, String targetId, Instant scheduledAt) {
            this(releaseId, targetKind, targetId, scheduledAt, null, null, null);
        }
    }

    /** A deployment; a fleet deployment lists one child per robot, each with its own events. */
    public record Deployment(String id, String parentId, DeploymentStatus status, String releaseId,
                             TargetKind targetKind, String targetId, Instant scheduledAt, Instant createdAt,
                             List<Child> children) {
    }

    /**
     * One robot's child of a fleet deployment. {@code progress}: the robot's live progress on it while it is
     * dispatched (see {@link Robot#progress()}), else null.
     */
    public record Child(String id, String robotId, DeploymentStatus status, AgentApi.Progress progress) {
        public Child(String id, String robotId, DeploymentStatus status) {
            this(id, robotId, status, null);
        }
    }

    /**
     * One row of {@code GET /api/deployments/{id}/events}, oldest first. {@code robotSeq} is the robot's own
     * sequence number of an event it reported (null for control-plane events and older agents).
     */
    public record Event(String eventId, DeploymentStatus status, String detail, Instant createdAt, Long robotSeq) {
        public Event(String eventId, DeploymentStatus status, String detail, Instant createdAt) {
            this(eventId, status, detail, createdAt, null);
        }
    }

    /** RFC 9457 problem details, served as {@code application/problem+json} for every 4xx and 5xx. */
    public record Problem(String type, String title, int status, String detail) {
    }
}
