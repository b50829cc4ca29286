package dev.roboflare.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
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
     * {@link SignedStatement}; an agent with trusted keys refuses a deployment without a valid one. {@code force}
     * (absent from older control planes: false): the operator asked to skip the robot's update gate.
     */
    public record Deployment(String id, Release release, Artifact artifact, SignedStatement signature,
                             boolean force) {
        public Deployment(String id, Release release, Artifact artifact, SignedStatement signature) {
            this(id, release, artifact, signature, false);
        }

        public Deployment(String id, Release release, Artifact artifact) {
            this(id, release, artifact, null, false);
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

    /**
     * What the agent is doing with a dispatched deployment right now, sent with its polls in the
     * {@value #PROGRESS_HEADER} header as {@code <deployment id> <phase>[ <done>/<total>]}: {@code downloading}
     * (bytes), {@code installing}, {@code watching} (seconds of the watch window). Presence, like last_seen_at: it
     * is never a deployment status and never an event; the control plane keeps the latest one per robot. An agent
     * that predates it sends no header, and a control plane that predates it ignores the header.
     * {@code done} and {@code total} are null for a phase without a measure. {@code waiting} (null: not waiting) is
     * why the robot's update gate holds the deployment back and since when, sent in the {@value #WAITING_HEADER}
     * header next to the progress one (its own header, so a control plane that predates it still reads the phase).
     */
    public record Progress(String deploymentId, String phase, Long done, Long total, Waiting waiting) {
        public static final int MAX_HEADER = 200;

        public Progress(String deploymentId, String phase, Long done, Long total) {
            this(deploymentId, phase, done, total, null);
        }

        /** The same progress with what the gate waits for (null: not waiting). */
        public Progress withWaiting(Waiting w) {
            return new Progress(deploymentId, phase, done, total, w);
        }

        /** The header value; null fields are left out. */
        public String header() {
            return deploymentId + " " + phase + (done == null || total == null ? "" : " " + done + "/" + total);
        }

        /** The header value read back; null for anything unreadable (never fails a poll). */
        public static Progress parse(String header) {
            if (header == null || header.isBlank() || header.length() > MAX_HEADER) {
                return null;
            }
            String[] p = header.strip().split(" +");
            if (p.length < 2 || p.length > 3 || !p[0].matches("[A-Za-z0-9-]{1,64}") || !p[1].matches("[a-z_]{1,32}")) {
                return null;
            }
            if (p.length == 2) {
                return new Progress(p[0], p[1], null, null);
            }
            String[] n = p[2].split("/", -1);
            try {
                long done = Long.parseLong(n[0]);
                long total = n.length == 2 ? Long.parseLong(n[1]) : -1;
                return done < 0 || total < 0 ? null : new Progress(p[0], p[1], done, total);
            } catch (NumberFormatException e) {
                return null;
            }
        }

        /**
         * For people: {@code downloading 42%}, {@code installing}, {@code watching 12/30 s},
         * {@code waiting: run abc running since 14:02 (42 min)}.
         */
        public String text() {
            return text(Instant.now());
        }

        /** {@link #text()} with the wait measured up to {@code now}. */
        public String text(Instant now) {
            if (waiting != null) {
                return waiting.text(now);
            }
            if (done == null || total == null) {
                return phase;
            }
            if ("watching".equals(phase)) {
                return phase + " " + done + "/" + total + " s";
            }
            return phase + " " + (total == 0 ? 100 : Math.min(100, done * 100 / total)) + "%";
        }
    }

    /** The request header of a poll that carries {@link Progress}. */
    public static final String PROGRESS_HEADER = "Roboflare-Agent-Progress";

    /** The request header of a poll that carries {@link Progress#waiting()}. */
    public static final String WAITING_HEADER = "Roboflare-Agent-Waiting";

    /**
     * Why the robot's update gate holds a deployment back ({@code run abc running since 14:02}, {@code an app holds
     * the update lock /run/roboflare/updates.lock}) and since when it waits. Presence like {@link Progress}: it
     * never changes the deployment's status. In the {@value #WAITING_HEADER} header as
     * {@code <since, epoch seconds> <reason, percent-encoded UTF-8>}: a header value is ASCII, a reason may not be.
     */
    public record Waiting(String reason, Instant since) {
        public static final int MAX_REASON = 300;
        public static final int MAX_HEADER = 1000;

        /** The reason cut to {@value #MAX_REASON} characters, control characters dropped. */
        public Waiting {
            reason = reason == null ? "" : reason.replaceAll("\\p{Cntrl}", " ").strip();
            if (reason.length() > MAX_REASON) {
                reason = reason.substring(0, MAX_REASON);
            }
        }

        public String header() {
            return since.getEpochSecond() + " " + URLEncoder.encode(reason, StandardCharsets.UTF_8);
        }

        /** The header value read back; null for anything unreadable (never fails a poll). */
        public static Waiting parse(String header) {
            if (header == null || header.isBlank() || header.length() > MAX_HEADER) {
                return null;
            }
            String[] p = header.strip().split(" ", 2);
            try {
                long since = Long.parseLong(p[0]);
                String reason = p.length == 2 ? URLDecoder.decode(p[1], StandardCharsets.UTF_8) : "";
                return since < 0 ? null : new Waiting(reason, Instant.ofEpochSecond(since));
            } catch (IllegalArgumentException | java.time.DateTimeException e) { // NumberFormatException too
                return null;
            }
        }

        /** {@code waiting: run abc running since 14:02 (42 min)}: the reason and how long it has waited. */
        public String text(Instant now) {
            return "waiting: " + (reason.isEmpty() ? "the robot is busy" : reason) + " (" + waited(now) + ")";
        }

        private String waited(Instant now) {
            long s = Math.max(0, java.time.Duration.between(since, now).toSeconds());
            if (s < 60) {
                return s + " s";
            }
            if (s < 3600) {
                return s / 60 + " min";
            }
            return s / 3600 + " h" + (s % 3600 >= 60 ? " " + s % 3600 / 60 + " min" : "");
        }
    }
}
