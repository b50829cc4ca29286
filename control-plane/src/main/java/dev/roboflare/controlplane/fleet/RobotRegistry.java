package dev.roboflare.controlplane.fleet;

import dev.roboflare.controlplane.LogText;
import dev.roboflare.controlplane.Ids;
import dev.roboflare.controlplane.RequestRejected;
import dev.roboflare.controlplane.auth.RobotTokens;
import dev.roboflare.controlplane.storage.RobotRows;
import dev.roboflare.controlplane.storage.RobotRows.RobotOverview;
import dev.roboflare.controlplane.storage.RobotRows.RobotRow;
import dev.roboflare.controlplane.storage.Transactor;
import dev.roboflare.protocol.AgentApi;
import dev.roboflare.protocol.DeploymentStatus;
import dev.roboflare.protocol.OperatorApi.Robot;
import dev.roboflare.protocol.OperatorApi.RobotCredentials;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Robots: enrolment (token shown once), what an operator sees about one, and robot authentication. */
public final class RobotRegistry {
    private static final Logger log = LoggerFactory.getLogger(RobotRegistry.class);

    private final Transactor db;
    private final Clock clock;
    private final RobotRows robots = new RobotRows();
    private final RobotPresence presence;

    public RobotRegistry(Transactor db, Clock clock) {
        this.db = db;
        this.clock = clock;
        this.presence = new RobotPresence(db, clock);
    }

    public RobotCredentials create(String org, String name) {
        String cleanName = Names.require(name, "robot");
        String token = RobotTokens.newToken();
        RobotRow row = new RobotRow(Ids.newId(), cleanName, clock.instant(), null);
        db.inTransaction(c -> {
            robots.insert(c, org, row, RobotTokens.fingerprint(token));
            return null;
        });
        log.info("robot {} created: org={} name={}", row.id(), org, LogText.of(cleanName));
        return new RobotCredentials(row.id(), cleanName, token);
    }

    public Robot get(String org, String id) {
        presence.flush();
        return db.read(c -> robots.overview(c, org, id).map(RobotRegistry::view).orElseThrow(() ->
                RequestRejected.notFound("no robot with id '" + id + "'; list robots with GET /api/robots")));
    }

    /** One query for the whole list (RobotRows.overviewOldestFirst), whatever the number of robots. */
    public List<Robot> list(String org) {
        presence.flush();
        return db.read(c -> robots.overviewOldestFirst(c, org).stream().map(RobotRegistry::view).toList());
    }

    /** The robot id for a bearer token, marking the robot as seen now; empty for an unknown token. */
    public Optional<String> authenticate(String token) {
        if (token == null || token.isBlank()) {
            return Optional.empty();
        }
        String fingerprint = RobotTokens.fingerprint(token);
        Optional<String> robotId = db.read(c -> robots.findIdByTokenSha256(c, fingerprint));
        robotId.ifPresent(presence::seen);
        return robotId;
    }

    /** Writes the presence not written yet (before a read that shows it, elsewhere than here). */
    public void flushPresence() {
        presence.flush();
    }

    /**
     * Keeps the live progress a poll carried in its {@code Roboflare-Agent-Progress} header (null: absent, which
     * keeps the stored one; it is only shown while its deployment is dispatched), with what the robot's update
     * gate waits for from its {@code Roboflare-Agent-Waiting} header: absent (an agent that predates it, or the
     * gate is open) clears the stored one. An unreadable value is ignored.
     */
    public void recordProgress(String robotId, String progressHeader, String waitingHeader) {
        if (progressHeader == null) {
            return;
        }
        AgentApi.Progress p = AgentApi.Progress.parse(progressHeader);
        if (p == null) {
            log.debug("robot {} sent an unreadable {} header; ignored", robotId, AgentApi.PROGRESS_HEADER);
            return;
        }
        AgentApi.Waiting w = AgentApi.Waiting.parse(waitingHeader);
        if (w == null && waitingHeader != null) {
            log.debug("robot {} sent an unreadable {} header; ignored", robotId, AgentApi.WAITING_HEADER);
        }
        presence.progressed(robotId, p.header(), w == null ? null : w.header());
    }

    /**
     * The progress stored for a robot (with what its update gate waits for, {@code storedWaiting}), if it is about
     * this deployment and that is still dispatched.
     */
    public static AgentApi.Progress liveProgress(String stored, String storedWaiting, String deploymentId,
                                                 DeploymentStatus status) {
        if (stored == null || deploymentId == null || status != DeploymentStatus.DISPATCHED) {
            return null;
        }
        AgentApi.Progress p = AgentApi.Progress.parse(stored);
        return p != null && p.deploymentId().equals(deploymentId)
                ? p.withWaiting(AgentApi.Waiting.parse(storedWaiting)) : null;
    }

    /** Longest metrics summary kept; the agent's line is about 100 characters. */
    static final int MAX_METRICS = 500;

    /**
     * Keeps what the robot's agent sent with a poll: the {@code Roboflare-Clock-Skew-Ms} and
     * {@code Roboflare-Agent-Metrics} header values (null: header absent). A skew that is not a whole number is
     * ignored with a log line; the summary is cut to {@value #MAX_METRICS} characters, control characters dropped.
     * Reporting never fails a poll.
     */
    public void recordAgentReport(String robotId, String clockSkewHeader, String metricsHeader) {
        Long skew = null;
        if (clockSkewHeader != null && !clockSkewHeader.isBlank()) {
            try {
                skew = Long.parseLong(clockSkewHeader.strip());
            } catch (NumberFormatException e) {
                log.warn("robot {} sent an unreadable Roboflare-Clock-Skew-Ms header ({} characters); ignored",
                        robotId, clockSkewHeader.length());
            }
        }
        String metrics = null;
        if (metricsHeader != null && !metricsHeader.isBlank()) {
            metrics = metricsHeader.replaceAll("\\p{Cntrl}", "").strip();
            if (metrics.length() > MAX_METRICS) {
                metrics = metrics.substring(0, MAX_METRICS);
            }
        }
        if (skew == null && metrics == null) {
            return;
        }
        presence.reported(robotId, skew, metrics);
    }

    /**
     * Current release = the release of the robot's newest applied deployment of an app kind; firmware = the same
     * for mcu_firmware, shown separately (it does not replace the app).
     */
    private static Robot view(RobotOverview o) {
        RobotRow row = o.row();
        DeploymentStatus last = o.lastStatus() == null ? null : DeploymentStatus.fromWire(o.lastStatus());
        // The agent numbers its events from 1: numbers below the highest with no event here are still in the
        // robot's outbox, or lost.
        Long missing = o.seqHighest() == null ? null : Math.max(0, o.seqHighest() - o.seqDistinct());
        return new Robot(row.id(), row.name(), row.createdAt(), row.lastSeenAt(), o.appReleaseId(), o.appSemver(),
                o.lastDeploymentId(), last, row.clockSkewMs(), row.agentMetrics(), row.agentReportedAt(),
                o.seqHighest(), missing, o.firmwareReleaseId(), o.firmwareSemver(),
                liveProgress(row.agentProgress(), row.agentWaiting(), o.lastDeploymentId(), last));
    }
}
