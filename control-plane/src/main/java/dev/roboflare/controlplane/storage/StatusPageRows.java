package dev.roboflare.controlplane.storage;

import dev.roboflare.protocol.DeploymentStatus;
import dev.roboflare.protocol.TargetKind;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The status page's reads, each one statement whatever the fleet's size: a page of robots (filtered, robots that
 * need attention first, with the total), their recent deployments, the fleets, the newest operator deployments
 * with their children counted per status, and the releases. Portable SQL (window functions and
 * {@code AS MATERIALIZED}: SQLite 3.35+, PostgreSQL 12+) except the one string aggregate, which
 * {@link Database.Dialect} picks.
 */
public final class StatusPageRows {
    /** Why a robot is listed first; the order of the constants is the order of the page. */
    public enum Attention {
        FAILED, NOT_SEEN, MISSING_EVENTS, IN_PROGRESS, FINE;

        static Attention of(int rank) {
            return values()[rank];
        }
    }

    /** What the robot list may be narrowed to (any field null: not narrowed). */
    public record Filter(String name, String fleetId, String releaseId, StatusFilter status) {
        public static final Filter NONE = new Filter(null, null, null, null);
    }

    public enum StatusFilter {
        ATTENTION("needs attention"), FAILED("failed or rolled back"), NOT_SEEN("not seen"),
        MISSING_EVENTS("missing events"), IN_PROGRESS("in progress"), APPLIED("applied"), NONE("no deployments");

        public final String label;

        StatusFilter(String label) {
            this.label = label;
        }

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One robot of a page, with its newest deployment and the release it runs. */
    public record RobotLine(String id, String name, Instant lastSeenAt, Long clockSkewMs, String agentMetrics,
                            String agentProgress, String agentWaiting, Instant agentProgressAt, String fleetNames,
                            String lastDeploymentId, DeploymentStatus lastStatus, String currentReleaseId,
                            String currentSemver, String firmwareSemver, Long lastEventSeq, long missingEventSeqs,
                            Attention attention) {
    }

    public record RobotPage(List<RobotLine> robots, int total) {
    }

    /** One of a robot's recent deployments; {@code detail} is the newest event's. */
    public record HistoryLine(String robotId, String deploymentId, String parentId, String releaseId,
                              String semver, DeploymentStatus status, String detail, Instant createdAt) {
    }

    public record FleetLine(String id, String name, int robots, List<String> firstRobotNames) {
    }

    /** A top-level deployment; {@code counts} per status of its children (of itself, for a robot target). */
    public record DeploymentLine(String id, String releaseId, String semver, TargetKind targetKind, String targetId,
                                 String targetName, Instant scheduledAt, Instant createdAt, DeploymentStatus status,
                                 Map<DeploymentStatus, Integer> counts) {
    }

    public record ReleaseLine(String id, String semver, String artifactName, Instant createdAt) {
    }

    /** The status of deployment {d}: its newest event's. */
    private static final String STATUS_OF = "SELECT e.status FROM deployment_events e WHERE e.deployment_id = {d} "
            + "ORDER BY e.seq DESC LIMIT 1";
    /**
     * The release robot {r} runs: that of its newest applied deployment of an app kind ({k} = "<>"); with
     * {k} = "=" its firmware, kept apart because an mcu_firmware release does not replace the app.
     */
    private static final String APPLIED_RELEASE = "SELECT d.release_id FROM deployments d JOIN releases rl "
            + "ON rl.id = d.release_id JOIN artifacts a ON a.id = rl.artifact_id WHERE d.robot_id = {r} "
            + "AND a.kind {k} 'mcu_firmware' AND (" + STATUS_OF.replace("{d}", "d.id") + ") = 'applied' "
            + "ORDER BY d.created_at DESC, d.id LIMIT 1";
    private static final String CURRENT_RELEASE = APPLIED_RELEASE.replace("{k}", "<>");
    private static final String FIRMWARE_RELEASE = APPLIED_RELEASE.replace("{k}", "=");

    private static final String STATUS_OF_EACH = "SELECT d.id, d.robot_id, d.release_id, d.parent_id, d.created_at, "
            + "e.status, e.detail FROM deployments d JOIN deployment_events e ON e.deployment_id = d.id "
            + "AND e.seq = (SELECT MAX(x.seq) FROM deployment_events x WHERE x.deployment_id = d.id) ";

    /**
     * One page of the organisation's robots: failed or rolled back first, then not seen since {@code staleBefore}
     * (or never), then missing events, then in progress, then the rest; by name within each.
     */
    public RobotPage robots(Connection c, Database.Dialect dialect, String org, Filter f, Instant staleBefore,
                            int limit, int offset) throws SQLException {
        String fleets = dialect == Database.Dialect.POSTGRESQL
                ? "string_agg(f.name, ', ' ORDER BY f.name)" : "group_concat(f.name, ', ')";
        // For every robot only what the order and the filters need (its newest deployment and that one's status,
        // last seen, event numbers), each an index probe; the rest only for the page's robots, after the LIMIT.
        StringBuilder sql = new StringBuilder()
                .append("WITH seqs AS (SELECT d.robot_id, MAX(e.robot_seq) AS hi, COUNT(DISTINCT e.robot_seq) AS n ")
                .append("FROM deployment_events e JOIN deployments d ON d.id = e.deployment_id ")
                .append("WHERE d.org = ? AND e.robot_seq IS NOT NULL GROUP BY d.robot_id), ")
                .append("base AS MATERIALIZED (SELECT r.id, r.name, r.last_seen_at, (SELECT d.id FROM deployments d ")
                .append("WHERE d.robot_id = r.id ORDER BY d.created_at DESC, d.id LIMIT 1) AS last_id ")
                .append("FROM robots r WHERE r.org = ?), ")
                // MATERIALIZED: each subquery once per robot, not once per reference to its column
                .append("lines AS MATERIALIZED (SELECT base.*, (").append(STATUS_OF.replace("{d}", "base.last_id"))
                .append(") AS last_status, s.hi, COALESCE(s.hi - s.n, 0) AS missing FROM base ")
                .append("LEFT JOIN seqs s ON s.robot_id = base.id), ")
                .append("ranked AS (SELECT lines.*, CASE WHEN last_status IN ('failed', 'rolled_back') THEN 0 ")
                .append("WHEN last_seen_at IS NULL OR last_seen_at < ? THEN 1 ")
                .append("WHEN missing > 0 THEN 2 WHEN last_status IN ('queued', 'dispatched') THEN 3 ELSE 4 END ")
                .append("AS attention FROM lines) ")
                .append("SELECT p.*, r.clock_skew_ms, r.agent_metrics, r.agent_progress, r.agent_waiting, r.agent_progress_at, ")
                .append("(SELECT ").append(fleets).append(" FROM fleet_robots fr JOIN fleets f ON f.id = fr.fleet_id ")
                .append("WHERE fr.robot_id = p.id) AS fleet_names, ")
                .append("(").append(CURRENT_RELEASE.replace("{r}", "p.id")).append(") AS current_release, ")
                .append("(SELECT rel.semver FROM releases rel WHERE rel.id = (")
                .append(CURRENT_RELEASE.replace("{r}", "p.id")).append(")) AS current_semver, ")
                .append("(SELECT rel.semver FROM releases rel WHERE rel.id = (")
                .append(FIRMWARE_RELEASE.replace("{r}", "p.id")).append(")) AS firmware_semver ")
                .append("FROM (SELECT ranked.*, COUNT(*) OVER () AS total FROM ranked WHERE 1 = 1");
        List<Object> params = new ArrayList<>(List.of(org, org, Times.toMicros(staleBefore)));
        if (f.name() != null) {
            sql.append(" AND LOWER(name) LIKE ? ESCAPE '\\'");
            params.add("%" + likeEscaped(f.name().toLowerCase(Locale.ROOT)) + "%");
        }
        if (f.fleetId() != null) {
            sql.append(" AND id IN (SELECT robot_id FROM fleet_robots WHERE fleet_id = ?)");
            params.add(f.fleetId());
        }
        if (f.releaseId() != null) {
            // robots that ever got it first (an index probe), then whether they run it or got it last
            sql.append(" AND id IN (SELECT d.robot_id FROM deployments d WHERE d.release_id = ?)")
                    .append(" AND (? = (SELECT d.release_id FROM deployments d WHERE d.id = last_id) OR ? = (")
                    .append(CURRENT_RELEASE.replace("{r}", "ranked.id")).append("))");
            params.add(f.releaseId());
            params.add(f.releaseId());
            params.add(f.releaseId());
        }
        if (f.status() != null) {
            sql.append(switch (f.status()) {
                case ATTENTION -> " AND attention < 3";
                case FAILED -> " AND last_status IN ('failed', 'rolled_back')";
                case NOT_SEEN -> " AND attention = 1";
                case MISSING_EVENTS -> " AND missing > 0";
                case IN_PROGRESS -> " AND last_status IN ('queued', 'dispatched')";
                case APPLIED -> " AND last_status = 'applied'";
                case NONE -> " AND last_status IS NULL";
            });
        }
        sql.append(" ORDER BY attention, name, id LIMIT ? OFFSET ?) p JOIN robots r ON r.id = p.id ")
                .append("ORDER BY p.attention, p.name, p.id");
        params.add(limit);
        params.add(offset);
        try (PreparedStatement ps = prepare(c, sql.toString(), params); ResultSet rs = ps.executeQuery()) {
            List<RobotLine> out = new ArrayList<>();
            int total = 0;
            while (rs.next()) {
                total = rs.getInt("total");
                long skew = rs.getLong("clock_skew_ms");
                Long clockSkew = rs.wasNull() ? null : skew;
                long hi = rs.getLong("hi");
                Long lastSeq = rs.wasNull() ? null : hi;
                String status = rs.getString("last_status");
                out.add(new RobotLine(rs.getString("id"), rs.getString("name"),
                        Rows.nullableInstant(rs, "last_seen_at"), clockSkew, rs.getString("agent_metrics"),
                        rs.getString("agent_progress"), rs.getString("agent_waiting"),
                        Rows.nullableInstant(rs, "agent_progress_at"), rs.getString("fleet_names"), rs.getString("last_id"),
                        status == null ? null : DeploymentStatus.fromWire(status), rs.getString("current_release"),
                        rs.getString("current_semver"), rs.getString("firmware_semver"), lastSeq, rs.getLong("missing"),
                        Attention.of(rs.getInt("attention"))));
            }
            return new RobotPage(out, total);
        }
    }

    /** The newest {@code perRobot} deployments of each of these robots, newest first. */
    public List<HistoryLine> history(Connection c, List<String> robotIds, int perRobot) throws SQLException {
        if (robotIds.isEmpty()) {
            return List.of();
        }
        String in = String.join(", ", Collections.nCopies(robotIds.size(), "?"));
        String sql = "SELECT h.*, rel.semver FROM (SELECT st.*, ROW_NUMBER() OVER (PARTITION BY robot_id "
                + "ORDER BY created_at DESC, id) AS rn FROM (" + STATUS_OF_EACH + "WHERE d.robot_id IN (" + in
                + ")) st) h JOIN releases rel ON rel.id = h.release_id WHERE h.rn <= ? ORDER BY h.robot_id, h.rn";
        List<Object> params = new ArrayList<>(robotIds);
        params.add(perRobot);
        try (PreparedStatement ps = prepare(c, sql, params); ResultSet rs = ps.executeQuery()) {
            List<HistoryLine> out = new ArrayList<>();
            while (rs.next()) {
                out.add(new HistoryLine(rs.getString("robot_id"), rs.getString("id"), rs.getString("parent_id"),
                        rs.getString("release_id"), rs.getString("semver"),
                        DeploymentStatus.fromWire(rs.getString("status")), rs.getString("detail"),
                        Rows.instant(rs, "created_at")));
            }
            return out;
        }
    }

    /**
     * The organisation's fleets by name, each with its size and {@code names} of its robots' names (the first in
     * key order, then sorted by name).
     */
    public List<FleetLine> fleets(Connection c, String org, int names) throws SQLException {
        // the first few members in key order (no sort of a 10,000-robot fleet), by name on the page
        String sql = "SELECT f.id, f.name, (SELECT COUNT(*) FROM fleet_robots c WHERE c.fleet_id = f.id) AS robots, "
                + "r.name AS robot_name FROM fleets f LEFT JOIN robots r ON r.id IN (SELECT fr.robot_id "
                + "FROM fleet_robots fr WHERE fr.fleet_id = f.id ORDER BY fr.robot_id LIMIT ?) "
                + "WHERE f.org = ? ORDER BY f.name, f.id";
        try (PreparedStatement ps = prepare(c, sql, List.of(names, org)); ResultSet rs = ps.executeQuery()) {
            Map<String, FleetLine> out = new LinkedHashMap<>();
            while (rs.next()) {
                FleetLine f = out.computeIfAbsent(rs.getString("id"), id -> {
                    try {
                        return new FleetLine(id, rs.getString("name"), rs.getInt("robots"), new ArrayList<>());
                    } catch (SQLException e) {
                        throw new StorageException(e);
                    }
                });
                String robot = rs.getString("robot_name");
                if (robot != null) {
                    f.firstRobotNames().add(robot);
                }
            }
            out.values().forEach(f -> f.firstRobotNames().sort(null));
            return new ArrayList<>(out.values());
        }
    }

    /**
     * The organisation's newest {@code limit} operator-created deployments with their own status, their target's
     * name, and how many of their robots are in each status (children for a fleet, itself for a robot).
     */
    public List<DeploymentLine> recentDeployments(Connection c, String org, int limit) throws SQLException {
        return topLevel(c, "WHERE d.org = ? AND d.parent_id IS NULL ORDER BY d.created_at DESC, d.id LIMIT ?",
                List.of(org, limit));
    }

    /** One operator-created deployment of the organisation, as {@link #recentDeployments} shows it. */
    public java.util.Optional<DeploymentLine> deployment(Connection c, String org, String id) throws SQLException {
        return topLevel(c, "WHERE d.org = ? AND d.parent_id IS NULL AND d.id = ?", List.of(org, id)).stream()
                .findFirst();
    }

    private List<DeploymentLine> topLevel(Connection c, String where, List<Object> params) throws SQLException {
        String sql = "WITH top AS (" + STATUS_OF_EACH.replace("d.created_at, ", "d.created_at, d.target_kind, "
                + "d.target_id, d.scheduled_at, ") + where + "), "
                + "kids AS (SELECT k.parent_id, e.status, COUNT(*) AS n FROM deployments k "
                + "JOIN deployment_events e ON e.deployment_id = k.id "
                + "AND e.seq = (SELECT MAX(x.seq) FROM deployment_events x WHERE x.deployment_id = k.id) "
                + "WHERE k.parent_id IN (SELECT id FROM top) GROUP BY k.parent_id, e.status) "
                + "SELECT top.*, rel.semver, COALESCE(r.name, f.name) AS target_name, kids.status AS kid_status, "
                + "kids.n FROM top JOIN releases rel ON rel.id = top.release_id "
                + "LEFT JOIN robots r ON top.target_kind = 'robot' AND r.id = top.target_id "
                + "LEFT JOIN fleets f ON top.target_kind = 'fleet' AND f.id = top.target_id "
                + "LEFT JOIN kids ON kids.parent_id = top.id ORDER BY top.created_at DESC, top.id";
        try (PreparedStatement ps = prepare(c, sql, params); ResultSet rs = ps.executeQuery()) {
            Map<String, DeploymentLine> out = new LinkedHashMap<>();
            while (rs.next()) {
                String id = rs.getString("id");
                DeploymentLine d = out.get(id);
                if (d == null) {
                    TargetKind kind = TargetKind.fromWire(rs.getString("target_kind"));
                    DeploymentStatus status = DeploymentStatus.fromWire(rs.getString("status"));
                    d = new DeploymentLine(id, rs.getString("release_id"), rs.getString("semver"), kind, rs.getString("target_id"),
                            rs.getString("target_name"), Rows.nullableInstant(rs, "scheduled_at"),
                            Rows.instant(rs, "created_at"), status, new java.util.EnumMap<>(DeploymentStatus.class));
                    if (kind == TargetKind.ROBOT) {
                        d.counts().put(status, 1);
                    }
                    out.put(id, d);
                }
                String kid = rs.getString("kid_status");
                if (kid != null) {
                    d.counts().put(DeploymentStatus.fromWire(kid), rs.getInt("n"));
                }
            }
            return new ArrayList<>(out.values());
        }
    }

    /** One robot's part in a deployment: a fleet's child, or a robot deployment itself. */
    public record RobotPart(String deploymentId, String robotId, String robotName, DeploymentStatus status,
                            String detail, Instant updatedAt, String agentProgress, String agentWaiting,
                            Instant agentProgressAt) {
    }

    /**
     * The robots of a deployment (its children, or itself for a robot target), those with a failure first, then
     * those still applying, then the rest, by name; at most {@code limit}.
     */
    public List<RobotPart> robotParts(Connection c, String id, int limit) throws SQLException {
        String sql = "SELECT d.id, d.robot_id, r.name, e.status, e.detail, e.created_at, r.agent_progress, "
                + "r.agent_waiting, r.agent_progress_at FROM deployments d JOIN robots r ON r.id = d.robot_id "
                + "JOIN deployment_events e ON e.deployment_id = d.id "
                + "AND e.seq = (SELECT MAX(x.seq) FROM deployment_events x WHERE x.deployment_id = d.id) "
                + "WHERE d.parent_id = ? OR (d.id = ? AND d.parent_id IS NULL) "
                + "ORDER BY CASE e.status WHEN 'failed' THEN 0 WHEN 'rolled_back' THEN 0 WHEN 'dispatched' THEN 1 "
                + "WHEN 'queued' THEN 2 ELSE 3 END, r.name, d.id LIMIT ?";
        try (PreparedStatement ps = prepare(c, sql, List.of(id, id, limit)); ResultSet rs = ps.executeQuery()) {
            List<RobotPart> out = new ArrayList<>();
            while (rs.next()) {
                out.add(new RobotPart(rs.getString("id"), rs.getString("robot_id"), rs.getString("name"),
                        DeploymentStatus.fromWire(rs.getString("status")), rs.getString("detail"),
                        Rows.instant(rs, "created_at"), rs.getString("agent_progress"),
                        rs.getString("agent_waiting"), Rows.nullableInstant(rs, "agent_progress_at")));
            }
            return out;
        }
    }

    /** The name of one of the organisation's robots. */
    public java.util.Optional<String> robotName(Connection c, String org, String id) throws SQLException {
        try (PreparedStatement ps = prepare(c, "SELECT name FROM robots WHERE id = ? AND org = ?", List.of(id, org));
             ResultSet rs = ps.executeQuery()) {
            return rs.next() ? java.util.Optional.of(rs.getString(1)) : java.util.Optional.empty();
        }
    }

    /** The organisation's newest {@code limit} releases. */
    public List<ReleaseLine> releases(Connection c, String org, int limit) throws SQLException {
        String sql = "SELECT id, semver, artifact_name, created_at FROM releases WHERE org = ? "
                + "ORDER BY created_at DESC, id LIMIT ?";
        try (PreparedStatement ps = prepare(c, sql, List.of(org, limit)); ResultSet rs = ps.executeQuery()) {
            List<ReleaseLine> out = new ArrayList<>();
            while (rs.next()) {
                out.add(new ReleaseLine(rs.getString("id"), rs.getString("semver"), rs.getString("artifact_name"),
                        Rows.instant(rs, "created_at")));
            }
            return out;
        }
    }

    private static PreparedStatement prepare(Connection c, String sql, List<Object> params) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        for (int i = 0; i < params.size(); i++) {
            ps.setObject(i + 1, params.get(i));
        }
        return ps;
    }

    private static String likeEscaped(String s) {
        return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
