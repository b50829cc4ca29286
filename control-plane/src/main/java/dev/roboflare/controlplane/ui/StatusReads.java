package dev.roboflare.controlplane.ui;

import dev.roboflare.controlplane.storage.StatusPageRows;
import dev.roboflare.controlplane.storage.Transactor;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The status page's read model: a fixed number of statements per page, whatever the number of robots (a page of
 * robots, their recent deployments, the fleets, the recent deployments with their counts, the releases), all on
 * one connection. Presence (last seen, live progress) is written before it is read.
 */
public final class StatusReads {
    static final int PAGE_SIZE = 50;
    static final int ROBOT_HISTORY = 6;
    static final int RECENT_DEPLOYMENTS = 20;
    static final int FLEET_NAMES = 5;
    static final int RELEASES = 200;
    static final int ROBOT_PARTS = 200;
    /** A robot whose agent has not polled for this long (or never) needs attention. */
    static final Duration STALE_AFTER = Duration.ofMinutes(10);

    private final Transactor db;
    private final Runnable flushPresence;
    private final StatusPageRows rows = new StatusPageRows();

    public StatusReads(Transactor db, Runnable flushPresence) {
        this.db = db;
        this.flushPresence = flushPresence;
    }

    StatusSnapshot page(String org, StatusQuery q, Instant now) {
        flushPresence.run();
        return db.read(c -> {
            StatusPageRows.RobotPage robots = rows.robots(c, db.dialect(), org, q.filter(), now.minus(STALE_AFTER),
                    PAGE_SIZE, (q.page() - 1) * PAGE_SIZE);
            Map<String, List<StatusPageRows.HistoryLine>> history = new LinkedHashMap<>();
            for (StatusPageRows.HistoryLine h : rows.history(c, robots.robots().stream()
                    .map(StatusPageRows.RobotLine::id).toList(), ROBOT_HISTORY)) {
                history.computeIfAbsent(h.robotId(), k -> new ArrayList<>()).add(h);
            }
            return new StatusSnapshot(now, q, rows.fleets(c, org, FLEET_NAMES),
                    rows.recentDeployments(c, org, RECENT_DEPLOYMENTS), robots, history,
                    rows.releases(c, org, RELEASES));
        });
    }

    /** One operator-created deployment and its robots (failures first); empty for another organisation's. */
    Optional<DeploymentDetail> deployment(String org, String id) {
        flushPresence.run();
        return db.read(c -> {
            Optional<StatusPageRows.DeploymentLine> d = rows.deployment(c, org, id);
            if (d.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new DeploymentDetail(d.get(), rows.robotParts(c, id, ROBOT_PARTS)));
        });
    }

    /** What the deploy form offers: the releases and fleets, and the name of the robot it is for (if any). */
    DeployChoices choices(String org, String robotId) {
        return db.read(c -> new DeployChoices(rows.releases(c, org, RELEASES), rows.fleets(c, org, 1),
                robotId == null ? null : rows.robotName(c, org, robotId).orElse(null)));
    }

    record DeploymentDetail(StatusPageRows.DeploymentLine deployment, List<StatusPageRows.RobotPart> robots) {
    }

    record DeployChoices(List<StatusPageRows.ReleaseLine> releases, List<StatusPageRows.FleetLine> fleets,
                         String robotName) {
    }
}
