package dev.roboflare.controlplane.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The robots and robot_tokens tables. */
public final class RobotRows {
    /** The last four: what the agent reported with its latest poll that had them (null: never). */
    public record RobotRow(String id, String name, Instant createdAt, Instant lastSeenAt, Long clockSkewMs,
                           String agentMetrics, Instant agentReportedAt, String agentProgress, String agentWaiting) {
        public RobotRow(String id, String name, Instant createdAt, Instant lastSeenAt) {
            this(id, name, createdAt, lastSeenAt, null, null, null, null, null);
        }
    }

    private static final String COLUMNS = "id, name, created_at, last_seen_at, clock_skew_ms, agent_metrics, "
            + "agent_reported_at, agent_progress, agent_waiting";

    /** A robot belongs to the organisation of the operator token that enrolled it. */
    public void insert(Connection c, String org, RobotRow robot, String tokenSha256) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO robots (id, name, created_at, last_seen_at, org) VALUES (?, ?, ?, NULL, ?)")) {
            ps.setString(1, robot.id());
            ps.setString(2, robot.name());
            ps.setLong(3, Times.toMicros(robot.createdAt()));
            ps.setString(4, org);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO robot_tokens (token_sha256, robot_id, created_at) VALUES (?, ?, ?)")) {
            ps.setString(1, tokenSha256);
            ps.setString(2, robot.id());
            ps.setLong(3, Times.toMicros(robot.createdAt()));
            ps.executeUpdate();
        }
    }

    public Optional<RobotRow> find(Connection c, String org, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT " + COLUMNS + " FROM robots WHERE id = ? AND org = ?")) {
            ps.setString(1, id);
            ps.setString(2, org);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(map(rs)) : Optional.empty();
            }
        }
    }

    public List<RobotRow> listOldestFirst(Connection c, String org) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT " + COLUMNS + " FROM robots WHERE org = ? ORDER BY created_at, id")) {
            ps.setString(1, org);
            try (ResultSet rs = ps.executeQuery()) {
                List<RobotRow> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(map(rs));
                }
                return out;
            }
        }
    }

    /**
     * A robot with what GET /api/robots shows beside it: its newest deployment and that one's status, the releases
     * of its newest applied app and firmware deployments, and its robot_seq figures (null highest: none yet).
     */
    public record RobotOverview(RobotRow row, String lastDeploymentId, String lastStatus, String appReleaseId,
                                String appSemver, String firmwareReleaseId, String firmwareSemver, Long seqHighest,
                                long seqDistinct) {
    }

    private static final String NEWEST_APPLIED = "(SELECT d.release_id FROM deployments d JOIN deployment_events e "
            + "ON e.deployment_id = d.id AND e.seq = (SELECT MAX(m.seq) FROM deployment_events m "
            + "WHERE m.deployment_id = d.id) JOIN releases rl ON rl.id = d.release_id "
            + "JOIN artifacts a ON a.id = rl.artifact_id WHERE d.robot_id = r.id AND e.status = 'applied' "
            + "AND a.kind %s 'mcu_firmware' ORDER BY d.created_at DESC, d.id LIMIT 1)";

    private static final String OVERVIEW = "SELECT x.*, "
            + "(SELECT e.status FROM deployment_events e WHERE e.deployment_id = x.last_id ORDER BY e.seq DESC LIMIT 1) "
            + "AS last_status, (SELECT rl.semver FROM releases rl WHERE rl.id = x.app_release) AS app_semver, "
            + "(SELECT rl.semver FROM releases rl WHERE rl.id = x.firmware_release) AS firmware_semver FROM (SELECT "
            + COLUMNS + ", (SELECT d.id FROM deployments d WHERE d.robot_id = r.id "
            + "ORDER BY d.created_at DESC, d.id LIMIT 1) AS last_id, "
            + NEWEST_APPLIED.formatted("<>") + " AS app_release, " + NEWEST_APPLIED.formatted("=") + " AS firmware_release, "
            + "(SELECT MAX(e.robot_seq) FROM deployment_events e JOIN deployments d ON d.id = e.deployment_id "
            + "WHERE d.robot_id = r.id) AS seq_highest, (SELECT COUNT(DISTINCT e.robot_seq) FROM deployment_events e "
            + "JOIN deployments d ON d.id = e.deployment_id WHERE d.robot_id = r.id AND e.robot_seq IS NOT NULL) "
            + "AS seq_distinct FROM robots r WHERE r.org = ? %s) x ORDER BY x.created_at, x.id";

    /** The organisation's robots, oldest first, in one statement (not a handful per robot). */
    public List<RobotOverview> overviewOldestFirst(Connection c, String org) throws SQLException {
        return Rows.query(c, OVERVIEW.formatted(""), RobotRows::overview, org);
    }

    public Optional<RobotOverview> overview(Connection c, String org, String id) throws SQLException {
        return Rows.one(c, OVERVIEW.formatted("AND r.id = ?"), RobotRows::overview, org, id);
    }

    private static RobotOverview overview(ResultSet rs) throws SQLException {
        long highest = rs.getLong("seq_highest");
        Long seqHighest = rs.wasNull() ? null : highest;
        return new RobotOverview(map(rs), rs.getString("last_id"), rs.getString("last_status"),
                rs.getString("app_release"), rs.getString("app_semver"), rs.getString("firmware_release"),
                rs.getString("firmware_semver"), seqHighest, rs.getLong("seq_distinct"));
    }

    /** The robot of a token that is not revoked (robot_token_revocations, V20). */
    public Optional<String> findIdByTokenSha256(Connection c, String tokenSha256) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT robot_id FROM robot_tokens t WHERE token_sha256 = ? AND NOT EXISTS "
                + "(SELECT 1 FROM robot_token_revocations r WHERE r.token_sha256 = t.token_sha256)")) {
            ps.setString(1, tokenSha256);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    /**
     * One robot's presence for {@link #markPresence}; null fields keep what is stored. {@code progress} (the
     * agent's Roboflare-Agent-Progress header) is written with {@code progressAt} when that is not null, and
     * {@code waiting} (its Roboflare-Agent-Waiting header) with them, null included: a poll with progress and no
     * waiting says the gate no longer holds the deployment back.
     */
    public record Presence(String robotId, Instant seenAt, Long clockSkewMs, String agentMetrics, Instant reportedAt,
                           String progress, Instant progressAt, String waiting) {
        public Presence(String robotId, Instant seenAt, Long clockSkewMs, String agentMetrics, Instant reportedAt) {
            this(robotId, seenAt, clockSkewMs, agentMetrics, reportedAt, null, null, null);
        }
    }

    /**
     * The in-place updates of the schema (presence is state, not history) for many robots, as two JDBC batches
     * (one round trip each on PostgreSQL): last_seen_at, and the clock skew and metrics summary of the latest poll,
     * where a null keeps what was stored (a poll that did not carry that header).
     */
    public void markPresence(Connection c, List<Presence> batch) throws SQLException {
        try (PreparedStatement seen = c.prepareStatement(MARK_SEEN);
             PreparedStatement report = c.prepareStatement(MARK_AGENT_REPORT);
             PreparedStatement progress = c.prepareStatement(MARK_PROGRESS)) {
            boolean anyProgress = false;
            for (Presence p : batch) {
                if (p.seenAt() != null) {
                    bindSeen(seen, p.robotId(), p.seenAt());
                    seen.addBatch();
                }
                if (p.reportedAt() != null) {
                    bindAgentReport(report, p.robotId(), p.clockSkewMs(), p.agentMetrics(), p.reportedAt());
                    report.addBatch();
                }
                if (p.progressAt() != null) {
                    progress.setString(1, p.progress());
                    progress.setLong(2, Times.toMicros(p.progressAt()));
                    progress.setString(3, p.waiting());
                    progress.setString(4, p.robotId());
                    progress.addBatch();
                    anyProgress = true;
                }
            }
            seen.executeBatch();
            report.executeBatch();
            if (anyProgress) {
                progress.executeBatch();
            }
        }
    }

    private static final String MARK_PROGRESS =
            "UPDATE robots SET agent_progress = ?, agent_progress_at = ?, agent_waiting = ? WHERE id = ?";

    /** The deployment ended: the robot no longer waits for anything (a later poll with progress says so too). */
    public void clearWaiting(Connection c, String robotId) throws SQLException {
        Rows.update(c, "UPDATE robots SET agent_waiting = NULL WHERE id = ? AND agent_waiting IS NOT NULL", robotId);
    }

    private static final String MARK_SEEN = "UPDATE robots SET last_seen_at = ? WHERE id = ?";

    private static void bindSeen(PreparedStatement ps, String robotId, Instant now) throws SQLException {
        ps.setLong(1, Times.toMicros(now));
        ps.setString(2, robotId);
    }

    private static final String MARK_AGENT_REPORT = "UPDATE robots SET clock_skew_ms = COALESCE(?, clock_skew_ms), "
            + "agent_metrics = COALESCE(?, agent_metrics), agent_reported_at = ? WHERE id = ?";

    private static void bindAgentReport(PreparedStatement ps, String robotId, Long clockSkewMs, String agentMetrics,
                                        Instant now) throws SQLException {
        if (clockSkewMs == null) {
            ps.setNull(1, java.sql.Types.BIGINT);
        } else {
            ps.setLong(1, clockSkewMs);
        }
        ps.setString(2, agentMetrics);
        ps.setLong(3, Times.toMicros(now));
        ps.setString(4, robotId);
    }

    private static RobotRow map(ResultSet rs) throws SQLException {
        long skew = rs.getLong("clock_skew_ms");
        Long clockSkewMs = rs.wasNull() ? null : skew;
        return new RobotRow(rs.getString("id"), rs.getString("name"), Rows.instant(rs, "created_at"),
                Rows.nullableInstant(rs, "last_seen_at"), clockSkewMs, rs.getString("agent_metrics"),
                Rows.nullableInstant(rs, "agent_reported_at"), rs.getString("agent_progress"),
                rs.getString("agent_waiting"));
    }
}
