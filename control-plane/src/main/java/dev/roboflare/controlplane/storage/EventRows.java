package dev.roboflare.controlplane.storage;

import dev.roboflare.protocol.DeploymentStatus;
import dev.roboflare.protocol.OperatorApi.Event;
import dev.roboflare.controlplane.metrics.ControlPlaneMetrics;
import io.micrometer.core.instrument.Metrics;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The append-only deployment_events table. */
public final class EventRows {
    /** Who wrote an event: the control plane itself (queued, dispatched) or the robot (outcomes). */
    public enum Source {
        CONTROL_PLANE, ROBOT;

        /** As stored in reported_by (and in the events metric's label). */
        String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

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
        long seq = Rows.one(c, "SELECT COALESCE(MAX(seq), 0) + 1 FROM deployment_events WHERE deployment_id = ?",
                rs -> rs.getLong(1), deploymentId).orElseThrow();
        Rows.update(c, "INSERT INTO deployment_events (deployment_id, seq, event_id, status, detail, reported_by, "
                        + "created_at, robot_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", deploymentId, seq, eventId,
                status.wire(), detail, source.wire(), now, robotSeq);
        countAppended(status, source, 1);
        return new Event(eventId, status, detail, now, robotSeq);
    }

    /** The highest robot sequence number stored for any event of this robot's deployments (null: none yet). */
    public Long maxRobotSeq(Connection c, String robotId) throws SQLException {
        return Rows.one(c, "SELECT MAX(e.robot_seq) FROM deployment_events e JOIN deployments d "
                + "ON d.id = e.deployment_id WHERE d.robot_id = ?", rs -> {
                    long max = rs.getLong(1);
                    return rs.wasNull() ? null : max;
                }, robotId).orElse(null);
    }

    /** An event whose seq the caller knows (new rows: 1, 2; locked rows: newest + 1). */
    public record NewEvent(String deploymentId, long seq, String eventId, DeploymentStatus status, String detail) {
    }

    private static final List<Rows.Column> BATCH_COLUMNS = List.of(new Rows.Column("deployment_id", "varchar"),
            new Rows.Column("seq", "integer"), new Rows.Column("event_id", "varchar"),
            new Rows.Column("status", "varchar"), new Rows.Column("detail", "text"),
            new Rows.Column("reported_by", "varchar"), new Rows.Column("created_at", "bigint"));

    /** Control-plane events all at once ({@link Rows#insertAll}); the (deployment_id, seq) key still refuses a lost race. */
    public void appendBatch(Connection c, List<NewEvent> rows, Source source, Instant now) throws SQLException {
        Rows.insertAll(c, "deployment_events", BATCH_COLUMNS, rows, e -> new Object[] {e.deploymentId(), e.seq(),
                e.eventId(), e.status().wire(), e.detail(), source.wire(), now});
        Map<DeploymentStatus, Long> byStatus = new EnumMap<>(DeploymentStatus.class);
        rows.forEach(e -> byStatus.merge(e.status(), 1L, Long::sum));
        byStatus.forEach((status, n) -> countAppended(status, source, n));
    }

    /** Counted once the transaction commits: the metric says what the database kept. */
    private static void countAppended(DeploymentStatus status, Source source, long n) {
        Transactor.afterCommit(() -> Metrics.counter(ControlPlaneMetrics.EVENTS_APPENDED, "status", status.wire(),
                "reported_by", source.wire()).increment(n));
    }

    public Optional<Event> find(Connection c, String deploymentId, String eventId) throws SQLException {
        return Rows.one(c, "SELECT event_id, status, detail, created_at, robot_seq FROM deployment_events "
                + "WHERE deployment_id = ? AND event_id = ?", EventRows::map, deploymentId, eventId);
    }

    public List<Event> listOldestFirst(Connection c, String deploymentId) throws SQLException {
        return Rows.query(c, "SELECT event_id, status, detail, created_at, robot_seq FROM deployment_events "
                + "WHERE deployment_id = ? ORDER BY seq", EventRows::map, deploymentId);
    }

    private static Event map(ResultSet rs) throws SQLException {
        return new Event(rs.getString("event_id"), DeploymentStatus.fromWire(rs.getString("status")),
                rs.getString("detail"), Rows.instant(rs, "created_at"), robotSeq(rs));
    }

    private static Long robotSeq(ResultSet rs) throws SQLException {
        long v = rs.getLong("robot_seq");
        return rs.wasNull() ? null : v;
    }
}
