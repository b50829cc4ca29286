package dev.roboflare.controlplane.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Robot token rotation and revocation (robot_tokens, robot_token_revocations) and extra operator tokens. */
public final class TokenRows {
    public record RobotTokenRow(String tokenSha256, Instant createdAt, Instant revokedAt) {
    }

    /** An extra operator token: it acts inside {@code org} only. */
    public record OperatorTokenRow(String tokenSha256, String name, String org, boolean readOnly, Instant createdAt,
                                   Instant revokedAt) {
    }

    private static final String OPERATOR_COLUMNS = "token_sha256, name, org, read_only, created_at, revoked_at";

    public void addRobotToken(Connection c, String robotId, String tokenSha256, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO robot_tokens (token_sha256, robot_id, created_at) VALUES (?, ?, ?)")) {
            ps.setString(1, tokenSha256);
            ps.setString(2, robotId);
            ps.setLong(3, Times.toMicros(now));
            ps.executeUpdate();
        }
    }

    public List<RobotTokenRow> robotTokens(Connection c, String robotId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT t.token_sha256, t.created_at, r.revoked_at "
                + "FROM robot_tokens t LEFT JOIN robot_token_revocations r ON r.token_sha256 = t.token_sha256 "
                + "WHERE t.robot_id = ? ORDER BY t.created_at, t.token_sha256")) {
            ps.setString(1, robotId);
            try (ResultSet rs = ps.executeQuery()) {
                List<RobotTokenRow> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(new RobotTokenRow(rs.getString(1), Rows.instant(rs, "created_at"),
                            Rows.nullableInstant(rs, "revoked_at")));
                }
                return out;
            }
        }
    }

    public void revokeRobotToken(Connection c, String tokenSha256, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO robot_token_revocations (token_sha256, revoked_at) VALUES (?, ?)")) {
            ps.setString(1, tokenSha256);
            ps.setLong(2, Times.toMicros(now));
            ps.executeUpdate();
        }
    }

    /** The robot of a token that exists and is not revoked. */
    public Optional<String> activeRobotToken(Connection c, String tokenSha256) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT t.robot_id FROM robot_tokens t "
                + "WHERE t.token_sha256 = ? AND NOT EXISTS "
                + "(SELECT 1 FROM robot_token_revocations r WHERE r.token_sha256 = t.token_sha256)")) {
            ps.setString(1, tokenSha256);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    public void addOperatorToken(Connection c, OperatorTokenRow row) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO operator_tokens "
                + "(token_sha256, name, org, read_only, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, NULL)")) {
            ps.setString(1, row.tokenSha256());
            ps.setString(2, row.name());
            ps.setString(3, row.org());
            ps.setInt(4, row.readOnly() ? 1 : 0);
            ps.setLong(5, Times.toMicros(row.createdAt()));
            ps.executeUpdate();
        }
    }

    /** Every extra operator token, oldest first. */
    public List<OperatorTokenRow> operatorTokens(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + OPERATOR_COLUMNS
                + " FROM operator_tokens ORDER BY created_at, token_sha256");
             ResultSet rs = ps.executeQuery()) {
            List<OperatorTokenRow> out = new ArrayList<>();
            while (rs.next()) {
                out.add(operatorToken(rs));
            }
            return out;
        }
    }

    /** Revocation is the one update of an operator token row; an already revoked token keeps its first time. */
    public void revokeOperatorToken(Connection c, String tokenSha256, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE operator_tokens SET revoked_at = ? WHERE token_sha256 = ? AND revoked_at IS NULL")) {
            ps.setLong(1, Times.toMicros(now));
            ps.setString(2, tokenSha256);
            ps.executeUpdate();
        }
    }

    private static OperatorTokenRow operatorToken(ResultSet rs) throws SQLException {
        return new OperatorTokenRow(rs.getString("token_sha256"), rs.getString("name"), rs.getString("org"),
                rs.getInt("read_only") != 0, Rows.instant(rs, "created_at"), Rows.nullableInstant(rs, "revoked_at"));
    }

    public Optional<OperatorTokenRow> operatorToken(Connection c, String tokenSha256) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + OPERATOR_COLUMNS
                + " FROM operator_tokens WHERE token_sha256 = ?")) {
            ps.setString(1, tokenSha256);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(operatorToken(rs)) : Optional.empty();
            }
        }
    }
}
