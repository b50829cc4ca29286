package dev.roboflare.controlplane.release;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roboflare.controlplane.Ids;
import dev.roboflare.controlplane.RequestRejected;
import dev.roboflare.controlplane.storage.ArtifactRows;
import dev.roboflare.controlplane.storage.ReleaseRows;
import dev.roboflare.controlplane.storage.StorageException;
import dev.roboflare.controlplane.storage.Transactor;
import dev.roboflare.protocol.OperatorApi.Artifact;
import dev.roboflare.protocol.OperatorApi.CreateRelease;
import dev.roboflare.protocol.OperatorApi.Release;
import dev.roboflare.protocol.WireJson;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Publishes immutable releases: one artifact, one semver, unique per artifact name. */
public final class ReleasePublisher {
    private static final Logger log = LoggerFactory.getLogger(ReleasePublisher.class);
    private static final ObjectMapper JSON = WireJson.strict();
    private static final String MANIFEST_EXAMPLE = "{\"entrypoint\": [\"bin/app\", \"--flag\"]}";
    /**
     * Limits on manifest_json, far below what the responses that carry it can hold: a poll nests the manifest a few
     * levels deeper, and a manifest that the JSON writer then refuses would fail every poll of every robot it is
     * deployed to.
     */
    static final int MAX_MANIFEST_DEPTH = 32;
    static final int MAX_MANIFEST_BYTES = 64 * 1024;

    private final Transactor db;
    private final Clock clock;
    private final ArtifactRows artifacts = new ArtifactRows();
    private final ReleaseRows releases = new ReleaseRows();

    public ReleasePublisher(Transactor db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    public Release publish(String org, CreateRelease request) {
        if (request.artifactId() == null || request.artifactId().isBlank()) {
            throw RequestRejected.badRequest("artifact_id is required; upload the build with POST /api/artifacts first");
        }
        String semver = request.semver();
        if (semver == null || semver.isBlank()) {
            throw RequestRejected.badRequest("semver is required, e.g. \"1.4.0\"");
        }
        if (!SemVer.isValid(semver)) {
            throw RequestRejected.badRequest("semver '" + semver + "' is not a SemVer 2.0.0 version" + SemVer.hint(semver));
        }
        JsonNode manifest = manifestObject(request.manifestJson());
        String notes = request.notes() == null ? "" : request.notes();
        try {
            Release release = db.inTransaction(c -> {
                Artifact artifact = artifacts.find(c, org, request.artifactId()).orElseThrow(() ->
                        RequestRejected.unprocessable("artifact_id '" + request.artifactId()
                                + "' does not exist; upload it with POST /api/artifacts and use the id it returns"));
                rejectDuplicate(releases.findIdBySemver(c, org, artifact.name(), semver).orElse(null), artifact.name(),
                        semver);
                Release r = new Release(Ids.newId(), artifact.id(), semver, notes, manifest, clock.instant());
                releases.insert(c, org, r, artifact.name());
                return r;
            });
            log.info("release {} published: semver={} artifact={}", release.id(), semver, release.artifactId());
            return release;
        } catch (StorageException e) {
            if (e.isUniqueViolation()) {
                throw RequestRejected.conflict("a release " + semver + " was published concurrently for this "
                        + "artifact name; releases are immutable, so publish a new version");
            }
            throw e;
        }
    }

    private static void rejectDuplicate(String existingId, String artifactName, String semver) {
        if (existingId != null) {
            throw RequestRejected.conflict("release " + semver + " of '" + artifactName + "' already exists (id "
                    + existingId + "); releases are immutable, so publish a new version such as a higher patch");
        }
    }

    /** manifest_json must be a JSON object; a JSON string holding an object is accepted too. */
    private static JsonNode manifestObject(JsonNode manifest) {
        if (manifest == null || manifest.isNull() || manifest.isMissingNode()) {
            throw RequestRejected.badRequest("manifest_json is required: a JSON object telling the agent how to run "
                    + "the app, e.g. " + MANIFEST_EXAMPLE);
        }
        JsonNode candidate = manifest;
        if (manifest.isTextual()) {
            try {
                candidate = JSON.readTree(manifest.textValue());
            } catch (JsonProcessingException e) {
                throw RequestRejected.badRequest("manifest_json is a string that is not valid JSON ("
                        + e.getOriginalMessage() + "); send a JSON object such as " + MANIFEST_EXAMPLE);
            }
        }
        if (candidate == null || !candidate.isObject()) {
            throw RequestRejected.badRequest("manifest_json must be a JSON object, got "
                    + (candidate == null ? "nothing" : candidate.getNodeType().name().toLowerCase(java.util.Locale.ROOT))
                    + "; send e.g. " + MANIFEST_EXAMPLE);
        }
        int depth = depth(candidate);
        if (depth > MAX_MANIFEST_DEPTH) {
            throw RequestRejected.badRequest("manifest_json is nested " + depth + " levels deep; at most "
                    + MAX_MANIFEST_DEPTH + " are accepted");
        }
        int bytes = candidate.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        if (bytes > MAX_MANIFEST_BYTES) {
            throw RequestRejected.badRequest("manifest_json is " + bytes + " bytes as JSON; at most "
                    + MAX_MANIFEST_BYTES + " are accepted (keep large data in the artifact)");
        }
        return candidate;
    }

    /** Levels of objects and arrays: {} is 1, {"a": []} is 2. Iterative, so a deep one cannot overflow the stack. */
    private static int depth(JsonNode root) {
        int max = 0;
        java.util.ArrayDeque<java.util.Map.Entry<JsonNode, Integer>> todo = new java.util.ArrayDeque<>();
        todo.push(java.util.Map.entry(root, 1));
        while (!todo.isEmpty()) {
            var next = todo.pop();
            max = Math.max(max, next.getValue());
            if (max > MAX_MANIFEST_DEPTH) {
                return max;
            }
            for (JsonNode child : next.getKey()) {
                if (child.isContainerNode()) {
                    todo.push(java.util.Map.entry(child, next.getValue() + 1));
                }
            }
        }
        return max;
    }

    public Release get(String org, String id) {
        return db.read(c -> releases.find(c, org, id)).orElseThrow(() -> RequestRejected.notFound(
                "no release with id '" + id + "'; list releases with GET /api/releases"));
    }

    public List<Release> list(String org) {
        return db.read(c -> releases.listNewestFirst(c, org));
    }
}
