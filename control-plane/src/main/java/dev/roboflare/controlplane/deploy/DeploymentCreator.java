package dev.roboflare.controlplane.deploy;

import dev.roboflare.controlplane.Ids;
import dev.roboflare.controlplane.RequestRejected;
import dev.roboflare.controlplane.Sha256;
import dev.roboflare.controlplane.storage.DeploymentRows;
import dev.roboflare.controlplane.storage.DeploymentRows.DeploymentRow;
import dev.roboflare.controlplane.storage.EventRows;
import dev.roboflare.controlplane.storage.FleetRows;
import dev.roboflare.controlplane.storage.IdempotencyKeys;
import dev.roboflare.controlplane.storage.ReleaseRows;
import dev.roboflare.controlplane.storage.RobotRows;
import dev.roboflare.controlplane.storage.StorageException;
import dev.roboflare.controlplane.storage.Transactor;
import dev.roboflare.protocol.DeploymentStatus;
import dev.roboflare.protocol.OperatorApi.CreateDeployment;
import dev.roboflare.protocol.OperatorApi.Deployment;
import dev.roboflare.protocol.TargetKind;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates deployments, once per Idempotency-Key. A fleet target fans out, in the same transaction, into one
 * child per member robot. Without a future scheduled_at everything is dispatched at once; otherwise it stays
 * queued for the {@link Dispatcher}.
 */
public final class DeploymentCreator {
    private static final Logger log = LoggerFactory.getLogger(DeploymentCreator.class);

    private final Transactor db;
    private final Clock clock;
    private final DeploymentViews views;
    private final DeploymentRows deployments = new DeploymentRows();
    private final EventRows events = new EventRows();
    private final ReleaseRows releases = new ReleaseRows();
    private final RobotRows robots = new RobotRows();
    private final FleetRows fleets = new FleetRows();
    private final IdempotencyKeys keys = new IdempotencyKeys();

    public DeploymentCreator(Transactor db, Clock clock, DeploymentViews views) {
        this.db = db;
        this.clock = clock;
        this.views = views;
    }

    /** {@code created} is false when the key was seen before with the same body (a safe replay). */
    public record Outcome(Deployment deployment, boolean created) {
    }

    public Outcome create(String idempotencyKey, CreateDeployment request) {
        String key = validKey(idempotencyKey);
        validate(request);
        String fingerprint = fingerprint(request);
        try {
            return db.inTransaction(c -> replay(c, key, fingerprint).orElseGet(() -> insert(c, key, fingerprint, request)));
        } catch (StorageException e) {
            if (e.isUniqueViolation()) { // the same key committed concurrently: answer like a replay
                return db.read(c -> replay(c, key, fingerprint)).orElseThrow(() -> e);
            }
            throw e;
        }
    }

    private Optional<Outcome> replay(Connection c, String key, String fingerprint) throws SQLException {
        Optional<IdempotencyKeys.UsedKey> used = keys.find(c, key);
        if (used.isEmpty()) {
            return Optional.empty();
        }
        if (!used.get().requestSha256().equals(fingerprint)) {
            throw RequestRejected.unprocessable("Idempotency-Key '" + key + "' was already used with a different body "
                    + "(it created deployment " + used.get().deploymentId() + "); send a new key for a new deployment, "
                    + "or the original body to get the original deployment back");
        }
        log.info("deployment {} replayed for Idempotency-Key {}", used.get().deploymentId(), key);
        return Optional.of(new Outcome(views.load(c, used.get().deploymentId()), false));
    }

    private Outcome insert(Connection c, String key, String fingerprint, CreateDeployment request) {
        try {
            Instant now = clock.instant();
            if (releases.find(c, request.releaseId()).isEmpty()) {
                throw RequestRejected.unprocessable("release_id '" + request.releaseId() + "' does not exist; "
                        + "publish one with POST /api/releases or list them with GET /api/releases");
            }
            boolean dueNow = request.scheduledAt() == null || !request.scheduledAt().isAfter(now);
            String parentId = Ids.newId();
            List<String> childRobots = new ArrayList<>();
            if (request.targetKind() == TargetKind.ROBOT) {
                requireRobot(c, request.targetId());
                insertWithEvents(c, new DeploymentRow(parentId, null, request.releaseId(), TargetKind.ROBOT,
                        request.targetId(), request.targetId(), key, request.scheduledAt(), now, null), dueNow, now);
            } else {
                childRobots.addAll(fleetMembers(c, request.targetId()));
                insertWithEvents(c, new DeploymentRow(parentId, null, request.releaseId(), TargetKind.FLEET,
                        request.targetId(), null, key, request.scheduledAt(), now, null), dueNow, now);
                for (String robotId : childRobots) {
                    insertWithEvents(c, new DeploymentRow(Ids.newId(), parentId, request.releaseId(), TargetKind.ROBOT,
                            robotId, robotId, key, request.scheduledAt(), now, null), dueNow, now);
                }
            }
            keys.insert(c, key, fingerprint, parentId, now);
            log.info("deployment {} created: release={} target={}:{} children={} {}", parentId, request.releaseId(),
                    request.targetKind().wire(), request.targetId(), childRobots.size(),
                    dueNow ? "dispatched" : "queued until " + request.scheduledAt());
            return new Outcome(views.load(c, parentId), true);
        } catch (SQLException e) {
            throw new StorageException(e);
        }
    }

    private void insertWithEvents(Connection c, DeploymentRow row, boolean dueNow, Instant now) throws SQLException {
        deployments.insert(c, row);
        events.append(c, row.id(), Ids.newId(), DeploymentStatus.QUEUED,
                row.scheduledAt() == null ? "created" : "created; scheduled for " + row.scheduledAt(),
                EventRows.Source.CONTROL_PLANE, now);
        if (dueNow) {
            events.append(c, row.id(), Ids.newId(), DeploymentStatus.DISPATCHED, "dispatched at creation",
                    EventRows.Source.CONTROL_PLANE, now);
        }
    }

    private void requireRobot(Connection c, String robotId) throws SQLException {
        if (robots.find(c, robotId).isEmpty()) {
            throw RequestRejected.unprocessable("target_id '" + robotId + "' is not a robot; list robots with "
                    + "GET /api/robots (or set target_kind to \"fleet\" for a fleet id)");
        }
    }

    private List<String> fleetMembers(Connection c, String fleetId) throws SQLException {
        if (fleets.find(c, fleetId).isEmpty()) {
            throw RequestRejected.unprocessable("target_id '" + fleetId + "' is not a fleet; list fleets with "
                    + "GET /api/fleets (or set target_kind to \"robot\" for a robot id)");
        }
        List<String> members = fleets.robotIds(c, fleetId);
        if (members.isEmpty()) {
            throw RequestRejected.unprocessable("fleet '" + fleetId + "' has no robots, so there is nothing to deploy "
                    + "to; add robots with PUT /api/fleets/" + fleetId + "/robots/{robot_id}");
        }
        return members;
    }

    private static String validKey(String key) {
        if (key == null || key.isBlank()) {
            throw RequestRejected.badRequest("the Idempotency-Key header is required: send a fresh random value "
                    + "(e.g. a UUID) per deployment and reuse it when retrying the same request");
        }
        if (key.length() > 200) {
            throw RequestRejected.badRequest("the Idempotency-Key header is " + key.length()
                    + " characters; use at most 200 (a UUID is 36)");
        }
        return key;
    }

    private static void validate(CreateDeployment r) {
        if (r.releaseId() == null || r.releaseId().isBlank()) {
            throw RequestRejected.badRequest("release_id is required; list releases with GET /api/releases");
        }
        if (r.targetKind() == null) {
            throw RequestRejected.badRequest("target_kind is required: \"robot\" or \"fleet\"");
        }
        if (r.targetId() == null || r.targetId().isBlank()) {
            throw RequestRejected.badRequest("target_id is required: the id of the robot or fleet to deploy to");
        }
    }

    /**
     * Fingerprint of what the request means, not its bytes: key order, whitespace and the offset used in
     * scheduled_at do not make a retry "different".
     */
    private static String fingerprint(CreateDeployment r) {
        return Sha256.hex(r.releaseId() + "\n" + r.targetKind().wire() + "\n" + r.targetId() + "\n"
                + (r.scheduledAt() == null ? "" : r.scheduledAt().toString()));
    }
}
