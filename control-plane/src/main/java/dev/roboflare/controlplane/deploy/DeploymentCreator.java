package dev.roboflare.controlplane.deploy;

import dev.roboflare.controlplane.Ids;
import dev.roboflare.controlplane.RequestRejected;
import dev.roboflare.protocol.Sha256;
import dev.roboflare.controlplane.storage.DeploymentRows;
import dev.roboflare.controlplane.storage.DeploymentRows.Active;
import dev.roboflare.controlplane.storage.DeploymentRows.DeploymentRow;
import dev.roboflare.controlplane.storage.EventRows;
import dev.roboflare.controlplane.storage.FleetRows;
import dev.roboflare.controlplane.storage.ReleaseRows;
import dev.roboflare.controlplane.storage.RobotRows;
import dev.roboflare.controlplane.storage.RolloutRows;
import dev.roboflare.controlplane.storage.Transactor;
import dev.roboflare.protocol.DeploymentStatus;
import dev.roboflare.protocol.OperatorApi.CreateDeployment;
import dev.roboflare.protocol.TargetKind;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates deployments. A fleet target fans out, in the same transaction and in batches, into one child per
 * member robot. Without a future scheduled_at everything is dispatched at once; otherwise it stays queued for the
 * {@link Dispatcher}. A new deployment to a robot supersedes that robot's older ones that have no outcome yet.
 * Idempotency (one deployment per Idempotency-Key) is the caller's job: see IdempotentRequests.
 */
public final class DeploymentCreator {
    private static final Logger log = LoggerFactory.getLogger(DeploymentCreator.class);
    /** Clock skew we forgive: a scheduled_at this little in the past means "now". */
    static final Duration PAST_TOLERANCE = Duration.ofMinutes(1);

    private final Transactor db;
    private final Clock clock;
    private final DeploymentStopper stopper;
    private final DeploymentRows deployments = new DeploymentRows();
    private final EventRows events = new EventRows();
    private final ReleaseRows releases = new ReleaseRows();
    private final RobotRows robots = new RobotRows();
    private final FleetRows fleets = new FleetRows();
    private final RolloutRows rollouts = new RolloutRows();

    public DeploymentCreator(Transactor db, Clock clock) {
        this.db = db;
        this.clock = clock;
        this.stopper = new DeploymentStopper(db);
    }

    /**
     * Inside the caller's transaction; throws RequestRejected for unknown ids and past schedules. The release and
     * the target must be {@code org}'s: another organisation's id is as unknown as one that never existed.
     */
    public DeploymentView insert(Connection c, String org, String key, CreateDeployment request) throws SQLException {
        Instant now = clock.instant();
        if (request.scheduledAt() != null && request.scheduledAt().isBefore(now.minus(PAST_TOLERANCE))) {
            throw RequestRejected.unprocessable("scheduled_at " + request.scheduledAt() + " is in the past (now is "
                    + now + "); leave scheduled_at out to deploy now, or give a future time");
        }
        if (releases.find(c, org, request.releaseId()).isEmpty()) {
            throw RequestRejected.unprocessable("release_id '" + request.releaseId() + "' does not exist; "
                    + "publish one with POST /api/releases or list them with GET /api/releases");
        }
        boolean dueNow = request.scheduledAt() == null || !request.scheduledAt().isAfter(now);
        boolean force = Boolean.TRUE.equals(request.force());
        String parentId = Ids.newId();
        List<DeploymentRow> rows = new ArrayList<>();
        List<Active> older;
        Map<String, String> newByRobot = new HashMap<>();
        Map<String, String> quarantined = Map.of(); // robot id -> a deployment in which it rolled this release back
        Map<String, Integer> waves = new HashMap<>(); // child id -> wave, for a batched fleet rollout
        if (request.targetKind() == TargetKind.ROBOT) {
            requireRobot(c, org, request.targetId());
            if (!force) {
                Map<String, String> rolledBack = rollouts.rolledBack(c, request.releaseId(), "?", request.targetId());
                if (!rolledBack.isEmpty()) {
                    throw RequestRejected.unprocessable("robot '" + request.targetId() + "' rolled back release '"
                            + request.releaseId() + "' in deployment " + rolledBack.get(request.targetId())
                            + ", so it is quarantined from that release; send \"force\": true to offer it again");
                }
            }
            older = deployments.activeForRobot(c, request.targetId());
            rows.add(new DeploymentRow(parentId, null, request.releaseId(), TargetKind.ROBOT, request.targetId(),
                    request.targetId(), key, request.scheduledAt(), now, null));
            newByRobot.put(request.targetId(), parentId);
        } else {
            List<String> members = fleetMembers(c, org, request.targetId());
            if (!force) {
                quarantined = rollouts.rolledBack(c, request.releaseId(),
                        "SELECT robot_id FROM fleet_robots WHERE fleet_id = ?", request.targetId());
            }
            List<Active> fleetOlder = deployments.activeForFleetRobots(c, request.targetId());
            older = new ArrayList<>();
            for (Active a : fleetOlder) {
                if (!quarantined.containsKey(a.robotId())) { // a quarantined robot keeps what it has
                    older.add(a);
                }
            }
            rows.add(new DeploymentRow(parentId, null, request.releaseId(), TargetKind.FLEET, request.targetId(), null,
                    key, request.scheduledAt(), now, null));
            int offered = 0;
            for (String robotId : members) {
                String childId = Ids.newId();
                rows.add(new DeploymentRow(childId, parentId, request.releaseId(), TargetKind.ROBOT, robotId, robotId,
                        key, request.scheduledAt(), now, null));
                newByRobot.put(robotId, childId);
                if (request.batchSize() != null && !quarantined.containsKey(robotId)) {
                    waves.put(childId, offered++ / request.batchSize());
                }
            }
        }
        List<Active> superseded = stopper.stop(c, older,
                a -> "superseded by " + newByRobot.get(a.robotId()), now);
        deployments.insertBatch(c, org, rows, force);
        if (request.targetKind() == TargetKind.FLEET) {
            rollouts.insertPolicy(c, new RolloutRows.Policy(parentId, request.maxFailureRatio() == null
                    ? RolloutGate.DEFAULT_MAX_FAILURE_RATIO : request.maxFailureRatio(), RolloutGate.MIN_FINISHED,
                    request.batchSize()));
            rollouts.insertWaves(c, parentId, waves);
            rollouts.insertTally(c, parentId, RolloutGate.firstTally(waves));
        }
        List<EventRows.NewEvent> first = new ArrayList<>(rows.size() * 2);
        for (DeploymentRow row : rows) {
            first.add(new EventRows.NewEvent(row.id(), 1, Ids.newId(), DeploymentStatus.QUEUED,
                    (row.scheduledAt() == null ? "created" : "created; scheduled for " + row.scheduledAt())
                            + (force ? "; forced: the robot does not wait at its update gate" : "")));
            String rolledBackIn = row.parentId() == null ? null : quarantined.get(row.robotId());
            Integer wave = waves.get(row.id());
            if (rolledBackIn != null) {
                first.add(new EventRows.NewEvent(row.id(), 2, Ids.newId(), DeploymentStatus.FAILED,
                        "quarantined: this robot rolled back release " + row.releaseId() + " in deployment "
                                + rolledBackIn + "; deploy with \"force\": true to offer it again"));
            } else if (dueNow && (wave == null || wave == 0)) {
                first.add(new EventRows.NewEvent(row.id(), 2, Ids.newId(), DeploymentStatus.DISPATCHED,
                        wave == null ? "dispatched at creation" : "dispatched at creation (wave 1)"));
            }
        }
        events.appendBatch(c, first, EventRows.Source.CONTROL_PLANE, now);
        Map<String, DeploymentStatus> status = new HashMap<>(); // each row's newest first event
        first.forEach(e -> status.put(e.deploymentId(), e.status()));
        log.info("deployment {} created: release={} target={}:{} children={} superseded={} quarantined={} "
                        + "batch_size={} {}", parentId, request.releaseId(), request.targetKind().wire(),
                request.targetId(), rows.size() - 1, superseded.size(), quarantined.size(), request.batchSize(),
                dueNow ? "dispatched" : "queued until " + request.scheduledAt());
        return createdView(rows, status);
    }

    /**
     * The view of what was just written, built from the rows themselves: reading 100,000 children back with their
     * newest events took seconds of a fan-out's transaction. A new child has no live progress yet.
     */
    private static DeploymentView createdView(List<DeploymentRow> rows, Map<String, DeploymentStatus> status) {
        List<DeploymentRow> children = new ArrayList<>(rows.size() - 1);
        for (DeploymentRow row : rows.subList(1, rows.size())) {
            children.add(withStatus(row, status.get(row.id())));
        }
        children.sort(Comparator.comparing(DeploymentRow::id)); // as a read gives them: one created_at
        return DeploymentViews.of(withStatus(rows.get(0), status.get(rows.get(0).id())), children, Map.of());
    }

    private static DeploymentRow withStatus(DeploymentRow r, DeploymentStatus status) {
        return new DeploymentRow(r.id(), r.parentId(), r.releaseId(), r.targetKind(), r.targetId(), r.robotId(),
                r.idempotencyKey(), r.scheduledAt(), r.createdAt(), status);
    }

    private void requireRobot(Connection c, String org, String robotId) throws SQLException {
        if (robots.find(c, org, robotId).isEmpty()) {
            throw RequestRejected.unprocessable("target_id '" + robotId + "' is not a robot; list robots with "
                    + "GET /api/robots (or set target_kind to \"fleet\" for a fleet id)");
        }
    }

    private List<String> fleetMembers(Connection c, String org, String fleetId) throws SQLException {
        if (fleets.find(c, org, fleetId).isEmpty()) {
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

    /** The Idempotency-Key header's own rules (checked before the body, so the client learns about it first). */
    public static String validKey(String key) {
        if (key == null || key.isBlank()) {
            throw RequestRejected.badRequest("the Idempotency-Key header is required: send a fresh random value "
                    + "(e.g. a UUID) per deployment and reuse it when retrying the same request");
        }
        String trimmed = key.trim();
        if (trimmed.length() > 200) {
            throw RequestRejected.badRequest("the Idempotency-Key header is " + trimmed.length()
                    + " characters; use at most 200 (a UUID is 36)");
        }
        return trimmed;
    }

    /** Shape checks that need no database; these 400s do not use up the key. */
    public static void validate(CreateDeployment r) {
        if (r.releaseId() == null || r.releaseId().isBlank()) {
            throw RequestRejected.badRequest("release_id is required; list releases with GET /api/releases");
        }
        if (r.targetKind() == null) {
            throw RequestRejected.badRequest("target_kind is required: \"robot\" or \"fleet\"");
        }
        if (r.targetId() == null || r.targetId().isBlank()) {
            throw RequestRejected.badRequest("target_id is required: the id of the robot or fleet to deploy to");
        }
        if (r.maxFailureRatio() != null && !(r.maxFailureRatio() >= 0 && r.maxFailureRatio() <= 1)) {
            throw RequestRejected.badRequest("max_failure_ratio must be between 0 and 1 (e.g. 0.2: halt when more than "
                    + "20% of finished robots failed or rolled back), got " + r.maxFailureRatio());
        }
        if (r.batchSize() != null && r.batchSize() < 1) {
            throw RequestRejected.badRequest("batch_size must be at least 1 (robots per wave), got " + r.batchSize());
        }
        if (r.targetKind() == TargetKind.ROBOT && (r.maxFailureRatio() != null || r.batchSize() != null)) {
            throw RequestRejected.unprocessable((r.maxFailureRatio() != null ? "max_failure_ratio" : "batch_size")
                    + " only applies to a fleet deployment (target_kind \"fleet\"); leave it out for one robot");
        }
        if (r.releaseId().length() > 36 || r.targetId().length() > 36) {
            throw RequestRejected.unprocessable((r.releaseId().length() > 36 ? "release_id" : "target_id")
                    + " is longer than any id this control plane hands out (36 characters); copy the id from the API");
        }
    }

    /**
     * Fingerprint of what the request means, not its bytes: key order, whitespace and the offset used in
     * scheduled_at do not make a retry "different".
     */
    public static String fingerprint(CreateDeployment r) {
        return Sha256.hex("POST /api/deployments\n" + r.releaseId() + "\n" + r.targetKind().wire() + "\n"
                + r.targetId() + "\n" + (r.scheduledAt() == null ? "" : r.scheduledAt().toString())
                // Appended only when present, so requests without them keep their earlier fingerprint.
                + (r.maxFailureRatio() == null ? "" : "\nmax_failure_ratio=" + r.maxFailureRatio())
                + (r.batchSize() == null ? "" : "\nbatch_size=" + r.batchSize())
                + (r.force() == null ? "" : "\nforce=" + r.force()));
    }
}
