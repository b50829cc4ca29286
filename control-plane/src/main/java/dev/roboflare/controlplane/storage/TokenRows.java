package dev.roboflare.controlplane.storage;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
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
        Rows.update(c, "INSERT INTO robot_tokens (token_sha256, robot_id, created_at) VALUES (?, ?, ?)", tokenSha256,
                robotId, now);
    }

    public List<RobotTokenRow> robotTokens(Connection c, String robotId) throws SQLException {
        return Rows.query(c, "SELECT t.token_sha256, t.created_at, r.revoked_at FROM robot_tokens t "
                        + "LEFT JOIN robot_token_revocations r ON r.token_sha256 = t.token_sha256 "
                        + "WHERE t.robot_id = ? ORDER BY t.created_at, t.token_sha256",
                rs -> new RobotTokenRow(rs.getString(1), Rows.instant(rs, "created_at"),
                        Rows.nullableInstant(rs, "revoked_at")), robotId);
    }

    public void revokeRobotToken(Connection c, String tokenSha256, Instant now) throws SQLException {
        Rows.update(c, "INSERT INTO robot_token_revocations (token_sha256, revoked_at) VALUES (?, ?)", tokenSha256, now);
    }

    /** The robot of a token that exists and is not revoked. */
    public Optional<String> activeRobotToken(Connection c, String tokenSha256) throws SQLException {
        return Rows.one(c, "SELECT t.robot_id FROM robot_tokens t WHERE t.token_sha256 = ? AND NOT EXISTS "
                        + "(SELECT 1 FROM robot_token_revocations r WHERE r.token_sha256 = t.token_sha256)",
                rs -> rs.getString(1), tokenSha256);
    }

    public void addOperatorToken(Connection c, OperatorTokenRow row) throws SQLException {
        Rows.update(c, "INSERT INTO operator_tokens (token_sha256, name, org, read_only, created_at, revoked_at) "
                        + "VALUES (?, ?, ?, ?, ?, NULL)", row.tokenSha256(), row.name(), row.org(),
                row.readOnly() ? 1 : 0, row.createdAt());
    }

    /** Every extra operator token, oldest first. */
    public List<OperatorTokenRow> operatorTokens(Connection c) throws SQLException {
        return Rows.query(c, "SELECT " + OPERATOR_COLUMNS + " FROM operator_tokens ORDER BY created_at, token_sha256",
                TokenRows::operatorToken);
    }

    /** Revocation is the one update of an operator token row; an already revoked token keeps its first time. */
    public void revokeOperatorToken(Connection c, String tokenSha256, Instant now) throws SQLException {
        Rows.update(c, "UPDATE operator_tokens SET revoked_at = ? WHERE token_sha256 = ? AND revoked_at IS NULL", now,
                tokenSha256);
    }

    private static OperatorTokenRow operatorToken(ResultSet rs) throws SQLException {
        return new OperatorTokenRow(rs.getString("token_sha256"), rs.getString("name"), rs.getString("org"),
                rs.getInt("read_only") != 0, Rows.instant(rs, "created_at"), Rows.nullableInstant(rs, "revoked_at"));
    }

    public Optional<OperatorTokenRow> operatorToken(Connection c, String tokenSha256) throws SQLException {
        return Rows.one(c, "SELECT " + OPERATOR_COLUMNS + " FROM operator_tokens WHERE token_sha256 = ?",
                TokenRows::operatorToken, tokenSha256);
    }
}
