package dev.roboflare.controlplane.storage;

import dev.roboflare.protocol.DeploymentStatus;
import dev.roboflare.protocol.OperatorApi.Event;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The append-only deployment_events table. */
public final class EventRows {
    /** Who wrote an event: the control plane itself (queued, dispatched) or the robot (outcomes). */
    public enum Source { CONTROL_PLANE, ROBOT }

    /**
     * Appends with the next per-deployment sequence number. The (deployment_id, seq) primary key makes two
     * concurrent appends collide instead of both winning.
     */
    public Event append(Connection c, String deploymentId, String eventId, DeploymentStatus status, String detail,
                        Source source, Instant now) throws SQLException {
        return append(c, deploymentId, eventId, status, detail, source, now, null);
    }

    /** {@code robotSeq}: the robot's own sequence number of the event (null: none). */
    public Event append(Connection c, String deploymentId, String eventId, DeploymentStatus status, String detail,
                        Source source, Instant now, Long robotSeq) throws SQLException {
        long seq;
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT COALESCE(MAX(seq), 0) + 1 FROM deployment_events WHERE deployment_id = ?")) {
            ps.setString(1, deploymentId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                seq = rs.getLong(1);
            }
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO deployment_events (deployment_id, seq, event_id, status, detail, reported_by, created_at, "
                        + "robot_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, deploymentId);
            ps.setLong(2, seq);
            ps.setString(3, eventId);
            ps.setString(4, status.wire());
            ps.setString(5, detail);
            ps.setString(6, source.name().toLowerCase(java.util.Locale.ROOT));
            ps.setLong(7, Times.toMicros(now));
            if (robotSeq == null) {
                ps.setNull(8, java.sql.Types.BIGINT);
            } else {
                ps.setLong(8, robotSeq);
            }
            ps.executeUpdate();
        }
        countAppended(status, source, 1);
        return new Event(eventId, status, detail, now, robotSeq);
    }

    /** The highest robot sequence number stored for any event of this robot's deployments (null: none yet). */
    public Long maxRobotSeq(Connection c, String robotId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT MAX(e.robot_seq) FROM deployment_events e "
                + "JOIN deployments d ON d.id = e.deployment_id WHERE d.robot_id = ?")) {
            ps.setString(1, robotId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long max = rs.getLong(1);
                return rs.wasNull() ? null : max;
            }
        }
    }

    /**
     * The robot's highest event sequence number and how many numbers below it have no event here (the agent
     * numbers from 1, so {@code highest - distinct}): events still in the robot's outbox, or lost. Null: none yet.
     */
    public record RobotSeqGaps(long highest, long missing) {
    }

    public RobotSeqGaps robotSeqGaps(Connection c, String robotId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT MAX(e.robot_seq), COUNT(DISTINCT e.robot_seq) "
                + "FROM deployment_events e JOIN deployments d ON d.id = e.deployment_id "
                + "WHERE d.robot_id = ? AND e.robot_seq IS NOT NULL")) {
            ps.setString(1, robotId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long highest = rs.getLong(1);
                return rs.wasNull() ? null : new RobotSeqGaps(highest, Math.max(0, highest - rs.getLong(2)));
            }
        }
    }

    /** An event whose seq the caller knows (new rows: 1, 2; locked rows: newest + 1). */
    public record NewEvent(String deploymentId, long seq, String eventId, DeploymentStatus status, String detail) {
    }

    /** Control-plane events in batches; the (deployment_id, seq) key still refuses a lost race. */
    public void appendBatch(Connection c, List<NewEvent> rows, Source source, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO deployment_events (deployment_id, seq, event_id, status, detail, reported_by, created_at) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            int pending = 0;
            for (NewEvent e : rows) {
                ps.setString(1, e.deploymentId());
                ps.setLong(2, e.seq());
                ps.setString(3, e.eventId());
                ps.setString(4, e.status().wire());
                ps.setString(5, e.detail());
                ps.setString(6, source.name().toLowerCase(java.util.Locale.ROOT));
                ps.setLong(7, Times.toMicros(now));
                ps.addBatch();
                if (++pending == DeploymentRows.BATCH) {
                    ps.executeBatch();
                    pending = 0;
                }
            }
            if (pending > 0) {
                ps.executeBatch();
            }
        }
        java.util.Map<DeploymentStatus, Long> byStatus = new java.util.EnumMap<>(DeploymentStatus.class);
        rows.forEach(e -> byStatus.merge(e.status(), 1L, Long::sum));
        byStatus.forEach((status, n) -> countAppended(status, source, n));
    }

    private static void countAppended(DeploymentStatus status, Source source, long n) {
        Transactor.afterCommit(() -> io.micrometer.core.instrument.Metrics.counter(
                dev.roboflare.controlplane.metrics.ControlPlaneMetrics.EVENTS_APPENDED, "status", status.wire(),
                "reported_by", source.name().toLowerCase(java.util.Locale.ROOT)).increment(n));
    }

    public Optional<Event> find(Connection c, String deploymentId, String eventId) throws SQLException {
        List<Event> events = query(c, "SELECT event_id, status, detail, created_at, robot_seq FROM deployment_events "
                + "WHERE deployment_id = ? AND event_id = ?", deploymentId, eventId);
        return events.isEmpty() ? Optional.empty() : Optional.of(events.get(0));
    }

    public List<Event> listOldestFirst(Connection c, String deploymentId) throws SQLException {
        return query(c, "SELECT event_id, status, detail, created_at, robot_seq FROM deployment_events "
                + "WHERE deployment_id = ? ORDER BY seq", deploymentId);
    }

    private static List<Event> query(Connection c, String sql, String... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setString(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                List<Event> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(new Event(rs.getString("event_id"), DeploymentStatus.fromWire(rs.getString("status")),
                            rs.getString("detail"), Rows.instant(rs, "created_at"), robotSeq(rs)));
                }
                return out;
            }
        }
    }

    private static Long robotSeq(ResultSet rs) throws SQLException {
        long v = rs.getLong("robot_seq");
        return rs.wasNull() ? null : v;
    }
}
