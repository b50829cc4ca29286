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
    public record RobotRow(String id, String name, Instant createdAt, Instant lastSeenAt) {
    }

    public void insert(Connection c, RobotRow robot, String tokenSha256) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO robots (id, name, created_at, last_seen_at) VALUES (?, ?, ?, NULL)")) {
            ps.setString(1, robot.id());
            ps.setString(2, robot.name());
            ps.setLong(3, Times.toMicros(robot.createdAt()));
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

    public Optional<RobotRow> find(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT id, name, created_at, last_seen_at FROM robots WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(map(rs)) : Optional.empty();
            }
        }
    }

    public List<RobotRow> listOldestFirst(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT id, name, created_at, last_seen_at FROM robots ORDER BY created_at, id");
             ResultSet rs = ps.executeQuery()) {
            List<RobotRow> out = new ArrayList<>();
            while (rs.next()) {
                out.add(map(rs));
            }
            return out;
        }
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

    /** The one in-place update in the schema: presence is state, not history. */
    public void markSeen(Connection c, String robotId, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE robots SET last_seen_at = ? WHERE id = ?")) {
            ps.setLong(1, Times.toMicros(now));
            ps.setString(2, robotId);
            ps.executeUpdate();
        }
    }

    private static RobotRow map(ResultSet rs) throws SQLException {
        return new RobotRow(rs.getString("id"), rs.getString("name"), Rows.instant(rs, "created_at"),
                Rows.nullableInstant(rs, "last_seen_at"));
    }
}
