package dev.roboflare.controlplane.storage;

import dev.roboflare.protocol.DeploymentStatus;
import dev.roboflare.protocol.TargetKind;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The deployments table, always read together with the current status (the newest event). Rows are only
 * inserted; status changes are new rows in deployment_events.
 */
public final class DeploymentRows {
    /** status is null only between inserting a row and appending its first event, inside one transaction. */
    public record DeploymentRow(String id, String parentId, String releaseId, TargetKind targetKind,
                                String targetId, String robotId, String idempotencyKey, Instant scheduledAt,
                                Instant createdAt, DeploymentStatus status) {
    }

    private static final String WITH_STATUS = "SELECT d.id, d.parent_id, d.release_id, d.target_kind, d.target_id, "
            + "d.robot_id, d.idempotency_key, d.scheduled_at, d.created_at, e.status "
            + "FROM deployments d JOIN deployment_events e ON e.deployment_id = d.id "
            + "AND e.seq = (SELECT MAX(x.seq) FROM deployment_events x WHERE x.deployment_id = d.id) ";

    /**
     * Many rows at once ({@link Rows#insertAll}): a fleet of 100,000 robots is a handful of statements, not 100,000. A fleet's children carry their parent's
     * organisation; {@code forced}: created with "force" (the robot skips its update gate).
     */
    public void insertBatch(Connection c, String org, List<DeploymentRow> rows, boolean forced) throws SQLException {
        Rows.insertAll(c, "deployments", INSERT_COLUMNS, rows, d -> new Object[] {d.id(), d.parentId(), d.releaseId(),
                d.targetKind().wire(), d.targetId(), d.robotId(), d.idempotencyKey(), d.scheduledAt(), d.createdAt(),
                org, forced ? 1 : 0});
    }

    private static final List<Rows.Column> INSERT_COLUMNS = List.of(new Rows.Column("id", "varchar"),
            new Rows.Column("parent_id", "varchar"), new Rows.Column("release_id", "varchar"),
            new Rows.Column("target_kind", "varchar"), new Rows.Column("target_id", "varchar"),
            new Rows.Column("robot_id", "varchar"), new Rows.Column("idempotency_key", "varchar"),
            new Rows.Column("scheduled_at", "bigint"), new Rows.Column("created_at", "bigint"),
            new Rows.Column("org", "varchar"), new Rows.Column("forced", "integer"));

    static final int BATCH = Rows.BATCH;

    /** A deployment that has not reached a final status, with the seq of its newest event. */
    public record Active(String id, String robotId, long seq, DeploymentStatus status) {
    }

    /**
     * Locks these deployment rows until the transaction ends, so no other instance appends events to them
     * meanwhile (PostgreSQL; on SQLite the IMMEDIATE transaction already excludes every other writer).
     * With {@code skipLocked}, rows another transaction holds are left out instead of waited for.
     * Returns the ids that are now locked. Rows are locked in id order; a caller that waits must also follow
     * {@link #lockParentsFirst}'s rule, or two transactions can each hold what the other waits for.
     */
    public List<String> lock(Connection c, Database.Dialect dialect, List<String> ids, boolean skipLocked)
            throws SQLException {
        if (dialect == Database.Dialect.SQLITE || ids.isEmpty()) {
            return ids;
        }
        List<String> locked = new ArrayList<>();
        List<String> sorted = ids.stream().distinct().sorted().toList(); // one global order, also across chunks
        for (int from = 0; from < sorted.size(); from += BATCH) {
            String[] chunk = sorted.subList(from, Math.min(sorted.size(), from + BATCH)).toArray(String[]::new);
            locked.addAll(Rows.query(c, "SELECT id FROM deployments WHERE id = ANY (?) ORDER BY id "
                    + (skipLocked ? "FOR UPDATE SKIP LOCKED" : "FOR UPDATE"), rs -> rs.getString(1), (Object) chunk));
        }
        return locked;
    }

    /**
     * The one lock order every waiting locker follows: the fleet parents of these rows first (in id order), then
     * the rows themselves (in id order). A robot's report (child, then RolloutGate on its parent), a cancel (parent
     * and children), a supersede (other fleets' children) and an auto-halt thus never wait for each other in a
     * circle, which PostgreSQL would end by aborting one of them with a deadlock error.
     */
    public List<String> lockParentsFirst(Connection c, Database.Dialect dialect, List<String> ids)
            throws SQLException {
        if (dialect == Database.Dialect.SQLITE || ids.isEmpty()) {
            return ids;
        }
        List<String> parents = Rows.query(c, "SELECT DISTINCT parent_id FROM deployments WHERE id = ANY (?) "
                + "AND parent_id IS NOT NULL", rs -> rs.getString(1), (Object) ids.toArray(String[]::new));
        lock(c, dialect, parents, false);
        return lock(c, dialect, ids, false);
    }

    /** Not final yet (queued or dispatched): the robot's, or those of every robot in a fleet. */
    public List<Active> activeForRobot(Connection c, String robotId) throws SQLException {
        return active(c, "d.robot_id = ?", robotId);
    }

    public List<Active> activeForFleetRobots(Connection c, String fleetId) throws SQLException {
        return active(c, "d.robot_id IN (SELECT robot_id FROM fleet_robots WHERE fleet_id = ?)", fleetId);
    }

    /** A deployment itself and its children, where not final. */
    public List<Active> activeInTree(Connection c, String id) throws SQLException {
        return active(c, "(d.id = ? OR d.parent_id = ?)", id, id);
    }

    /** A fleet deployment's children, where not final (without the parent itself). */
    public List<Active> activeChildren(Connection c, String parentId) throws SQLException {
        return active(c, "d.parent_id = ?", parentId);
    }

    /** Re-read after {@link #lock}: the status may have changed while waiting for the lock. */
    public List<Active> activeAmong(Connection c, List<String> ids) throws SQLException {
        List<Active> out = new ArrayList<>();
        for (int from = 0; from < ids.size(); from += BATCH) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + BATCH));
            out.addAll(active(c, "d.id IN (" + String.join(",", Collections.nCopies(chunk.size(), "?")) + ")",
                    chunk.toArray()));
        }
        return out;
    }

    private static List<Active> active(Connection c, String where, Object... params) throws SQLException {
        return Rows.query(c, "SELECT d.id, d.robot_id, e.seq, e.status "
                + "FROM deployments d JOIN deployment_events e ON e.deployment_id = d.id "
                + "AND e.seq = (SELECT MAX(x.seq) FROM deployment_events x WHERE x.deployment_id = d.id) "
                + "WHERE " + where + " AND e.status IN ('queued', 'dispatched') ORDER BY d.id",
                rs -> new Active(rs.getString(1), rs.getString(2), rs.getLong(3),
                        DeploymentStatus.fromWire(rs.getString(4))), params);
    }

    /** Any organisation's: for the robot side and the scheduler, never for operators. */
    public Optional<DeploymentRow> find(Connection c, String id) throws SQLException {
        List<DeploymentRow> rows = query(c, WITH_STATUS + "WHERE d.id = ?", id);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    public Optional<DeploymentRow> find(Connection c, String org, String id) throws SQLException {
        List<DeploymentRow> rows = query(c, WITH_STATUS + "WHERE d.id = ? AND d.org = ?", id, org);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    public List<DeploymentRow> children(Connection c, String parentId) throws SQLException {
        return query(c, WITH_STATUS + "WHERE d.parent_id = ? ORDER BY d.created_at, d.id", parentId);
    }

    /** A robot's stored live progress (robots.agent_progress) and what its update gate waits for (agent_waiting). */
    public record RobotProgress(String progress, String waiting) {
    }

    /** Child deployment id -> its robot's stored live progress, where there is one. */
    public Map<String, RobotProgress> robotProgressOfChildren(Connection c, String parentId)
            throws SQLException {
        Map<String, RobotProgress> out = new HashMap<>();
        for (String[] p : Rows.query(c, "SELECT d.id, r.agent_progress, r.agent_waiting FROM deployments d "
                        + "JOIN robots r ON r.id = d.robot_id WHERE d.parent_id = ? AND r.agent_progress IS NOT NULL",
                rs -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3)}, parentId)) {
            out.put(p[0], new RobotProgress(p[1], p[2]));
        }
        return out;
    }

    /** A deployment a robot's poll lists, and whether it was created with "force" (the robot skips its gate). */
    public record Dispatched(DeploymentRow row, boolean forced) {
    }

    private static final String DISPATCHED_FOR_ROBOT = WITH_STATUS.replaceFirst("^SELECT ", "SELECT d.forced, ")
            + "WHERE d.robot_id = ? AND e.status = 'dispatched' ORDER BY d.created_at, d.id";

    /** What a robot should act on now: its dispatched deployments, oldest first; one query per poll. */
    public List<Dispatched> dispatchedForRobot(Connection c, String robotId) throws SQLException {
        return Rows.query(c, DISPATCHED_FOR_ROBOT, rs -> new Dispatched(row(rs), rs.getInt("forced") == 1), robotId);
    }

    /**
     * Queued deployments whose scheduled time has come (parents and children alike), except children of a later
     * wave of a batched rollout: the RolloutGate dispatches those.
     */
    public List<DeploymentRow> dueQueued(Connection c, Instant now) throws SQLException {
        return query(c, WITH_STATUS + "WHERE e.status = 'queued' AND d.scheduled_at IS NOT NULL "
                + "AND d.scheduled_at <= ? "
                + "AND NOT EXISTS (SELECT 1 FROM rollout_waves w WHERE w.deployment_id = d.id AND w.wave > 0) ORDER BY d.scheduled_at, d.created_at, d.id", now);
    }

    public List<DeploymentRow> forRobotNewestFirst(Connection c, String robotId, int limit) throws SQLException {
        return query(c, WITH_STATUS + "WHERE d.robot_id = ? ORDER BY d.created_at DESC, d.id LIMIT ?", robotId, limit);
    }

    /** Deployments operators created (not fleet children), newest first. */
    public List<DeploymentRow> topLevelNewestFirst(Connection c, String org, int limit) throws SQLException {
        return query(c, WITH_STATUS + "WHERE d.org = ? AND d.parent_id IS NULL ORDER BY d.created_at DESC, d.id LIMIT ?",
                org, limit);
    }

    private static List<DeploymentRow> query(Connection c, String sql, Object... params) throws SQLException {
        return Rows.query(c, sql, DeploymentRows::row, params);
    }

    private static DeploymentRow row(ResultSet rs) throws SQLException {
        return new DeploymentRow(rs.getString("id"), rs.getString("parent_id"), rs.getString("release_id"),
                TargetKind.fromWire(rs.getString("target_kind")), rs.getString("target_id"),
                rs.getString("robot_id"), rs.getString("idempotency_key"),
                Rows.nullableInstant(rs, "scheduled_at"), Rows.instant(rs, "created_at"),
                DeploymentStatus.fromWire(rs.getString("status")));
    }
}
