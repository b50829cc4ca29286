package dev.roboflare.controlplane.deploy;

import dev.roboflare.controlplane.RequestRejected;
import dev.roboflare.controlplane.fleet.RobotRegistry;
import dev.roboflare.controlplane.storage.DeploymentRows;
import dev.roboflare.controlplane.storage.DeploymentRows.DeploymentRow;
import dev.roboflare.controlplane.storage.EventRows;
import dev.roboflare.controlplane.storage.Transactor;
import dev.roboflare.protocol.OperatorApi.Child;
import dev.roboflare.protocol.DeploymentStatus;
import dev.roboflare.protocol.OperatorApi.Event;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Deployments as operators see them: each with its current status and, for a fleet, its children. */
public final class DeploymentViews {
    private static final int MAX_LIST = 1000;

    private final Transactor db;
    private final DeploymentRows deployments = new DeploymentRows();
    private final EventRows events = new EventRows();

    private final Runnable flushPresence;

    public DeploymentViews(Transactor db) {
        this(db, () -> { });
    }

    /** {@code flushPresence} writes the robots' pending presence (live progress) before a read shows it. */
    public DeploymentViews(Transactor db, Runnable flushPresence) {
        this.db = db;
        this.flushPresence = flushPresence;
    }

    public DeploymentView get(String org, String id) {
        flushPresence.run();
        return db.read(c -> load(c, org, id));
    }

    public List<Event> events(String org, String id) {
        return db.read(c -> {
            require(c, org, id);
            return events.listOldestFirst(c, id);
        });
    }

    /**
     * With a robot id (the caller checked it is one of {@code org}'s robots): that robot's deployments, fleet
     * children included; without: the organisation's operator-created ones.
     */
    public List<DeploymentView> listNewestFirst(String org, String robotId, int limit) {
        int capped = Math.max(1, Math.min(limit, MAX_LIST));
        return db.read(c -> {
            List<DeploymentRow> rows = robotId == null
                    ? deployments.topLevelNewestFirst(c, org, capped)
                    : deployments.forRobotNewestFirst(c, robotId, capped);
            List<DeploymentView> out = new ArrayList<>();
            for (DeploymentRow row : rows) {
                out.add(view(c, row));
            }
            return out;
        });
    }

    DeploymentView load(Connection c, String org, String id) throws SQLException {
        return view(c, require(c, org, id));
    }

    private DeploymentRow require(Connection c, String org, String id) throws SQLException {
        return deployments.find(c, org, id).orElseThrow(() -> RequestRejected.notFound(
                "no deployment with id '" + id + "'; list deployments with GET /api/deployments"));
    }

    private DeploymentView view(Connection c, DeploymentRow row) throws SQLException {
        List<DeploymentRow> rows = deployments.children(c, row.id());
        Map<String, DeploymentRows.RobotProgress> progress =
                rows.stream().anyMatch(r -> r.status() == DeploymentStatus.DISPATCHED)
                ? deployments.robotProgressOfChildren(c, row.id()) : Map.of();
        return of(row, rows, progress);
    }

    /**
     * {@code row} with its {@code children} (in created_at, id order) and the robots' live progress by child id;
     * the creator builds a new deployment's view from the rows it has just written, without reading them back.
     */
    static DeploymentView of(DeploymentRow row, List<DeploymentRow> childRows,
            Map<String, DeploymentRows.RobotProgress> progress) {
        List<Child> children = new ArrayList<>(childRows.size());
        Map<String, Integer> summary = new LinkedHashMap<>();
        if (row.parentId() == null && row.robotId() == null) {
            for (DeploymentStatus s : DeploymentStatus.values()) {
                summary.put(s.wire(), 0);
            }
        }
        for (DeploymentRow child : childRows) {
            DeploymentRows.RobotProgress p = progress.get(child.id());
            children.add(new Child(child.id(), child.robotId(), child.status(), p == null ? null
                    : RobotRegistry.liveProgress(p.progress(), p.waiting(), child.id(), child.status())));
            summary.merge(child.status().wire(), 1, Integer::sum);
        }
        return new DeploymentView(row.id(), row.parentId(), row.status(), row.releaseId(), row.targetKind(),
                row.targetId(), row.scheduledAt(), row.createdAt(), summary, children);
    }
}
