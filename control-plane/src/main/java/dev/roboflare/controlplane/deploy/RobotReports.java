package dev.roboflare.controlplane.deploy;

import dev.roboflare.controlplane.LogText;
import dev.roboflare.controlplane.RequestRejected;
import dev.roboflare.controlplane.storage.DeploymentRows;
import dev.roboflare.controlplane.storage.DeploymentRows.DeploymentRow;
import dev.roboflare.controlplane.storage.EventRows;
import dev.roboflare.controlplane.storage.RobotRows;
import dev.roboflare.controlplane.storage.Transactor;
import dev.roboflare.protocol.AgentApi;
import dev.roboflare.protocol.DeploymentStatus;
import dev.roboflare.protocol.OperatorApi.Event;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Outcomes reported by robots. A robot may report applied, failed or rolled_back, only on its own
 * deployment, only while it is dispatched. A replayed event_id is a no-op so the agent can retry freely.
 */
public final class RobotReports {
    private static final Logger log = LoggerFactory.getLogger(RobotReports.class);
    private static final int MAX_DETAIL = 10_000;

    private final Transactor db;
    private final Clock clock;
    private final DeploymentRows deployments = new DeploymentRows();
    private final EventRows events = new EventRows();
    private final RobotRows robots = new RobotRows();
    private final RolloutGate gate;

    public RobotReports(Transactor db, Clock clock) {
        this.db = db;
        this.clock = clock;
        this.gate = new RolloutGate(db);
    }

    /** {@code created} is false when the event_id was already recorded (nothing was appended). */
    public record Outcome(Event event, boolean created) {
    }

    public Outcome report(String robotId, String deploymentId, AgentApi.Event report) {
        validate(report);
        String[] sequenceNote = new String[1];
        Outcome outcome = db.inTransaction(c -> {
            // no concurrent cancel/supersede/halt: its fleet parent first, as every locker does (DeploymentRows)
            deployments.lockParentsFirst(c, db.dialect(), java.util.List.of(deploymentId));
            DeploymentRow d = deployments.find(c, deploymentId)
                    .filter(row -> robotId.equals(row.robotId()))
                    .orElseThrow(() -> RequestRejected.notFound("this robot has no deployment '" + deploymentId
                            + "'; report only on ids from GET /api/agent/deployments"));
            Optional<Event> earlier = events.find(c, deploymentId, report.eventId());
            if (earlier.isPresent()) {
                return new Outcome(earlier.get(), false);
            }
            if (d.status() != DeploymentStatus.DISPATCHED) {
                throw RequestRejected.conflict("deployment " + deploymentId + " is " + d.status().wire()
                        + (d.status().isFinal() ? ", which is final; it takes no more events. To change what runs, "
                        + "the operator creates a new deployment" : " and not dispatched yet; report once it "
                        + "appears in GET /api/agent/deployments"));
            }
            if (report.seq() != null) {
                String odd = RobotEventSequence.judge(events.maxRobotSeq(c, robotId), report.seq());
                sequenceNote[0] = odd; // logged after the commit
            }
            Event e = events.append(c, deploymentId, report.eventId(), report.status(), report.detail(),
                    EventRows.Source.ROBOT, clock.instant(), report.seq());
            robots.clearWaiting(c, robotId); // the deployment ended: its gate holds nothing back any more
            if (d.parentId() != null) { // a fleet child: auto-halt and waves (RolloutGate)
                gate.afterOutcome(c, d.parentId(), deploymentId, report.status(), clock.instant()).ifPresent(what ->
                        log.info("fleet deployment {} after robot {}'s outcome: {}", d.parentId(), robotId, what));
            }
            return new Outcome(e, true);
        });
        if (outcome.created() && sequenceNote[0] != null) {
            log.warn("robot {} deployment {} event {}: {}", robotId, deploymentId, LogText.of(report.eventId()), sequenceNote[0]);
        }
        if (outcome.created()) {
            log.info("deployment {} event {} received from robot {}: {}", deploymentId, LogText.of(report.eventId()), robotId,
                    report.status().wire());
        } else {
            log.info("deployment {} event {} replayed by robot {}; nothing appended", deploymentId,
                    LogText.of(report.eventId()), robotId);
        }
        return outcome;
    }

    private static void validate(AgentApi.Event report) {
        if (report.eventId() == null || report.eventId().isBlank()) {
            throw RequestRejected.badRequest("event_id is required: a unique id the agent generates per event "
                    + "(e.g. a UUID) and reuses when retrying");
        }
        if (report.eventId().length() > 200) {
            throw RequestRejected.badRequest("event_id is " + report.eventId().length() + " characters; use at most 200");
        }
        if (report.status() == null) {
            throw RequestRejected.badRequest("status is required: applied, failed or rolled_back");
        }
        if (!report.status().isFinal()) {
            throw RequestRejected.unprocessable("a robot may only report applied, failed or rolled_back, not "
                    + report.status().wire() + "; queued and dispatched are written by the control plane");
        }
        if (report.seq() != null && report.seq() < 1) {
            throw RequestRejected.badRequest("seq is " + report.seq() + "; the robot's event sequence numbers start "
                    + "at 1 (leave it out if the agent does not number its events)");
        }
        if (report.detail() != null && report.detail().length() > MAX_DETAIL) {
            throw RequestRejected.badRequest("detail is " + report.detail().length() + " characters; keep it under "
                    + MAX_DETAIL + " (send the tail of the log, not all of it)");
        }
    }
}
