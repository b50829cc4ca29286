package dev.roboflare.controlplane.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.Optional;

/** The idempotency_records table: one row per (scope, Idempotency-Key), holding the first response. */
public final class IdempotencyRecords {
    /** A key someone else already holds. status and body are null while it is in flight. */
    public record Held(String requestSha256, boolean inFlight, Integer status, String body) {
    }

    /**
     * Takes the key for a new request: inserts it in flight, or takes over a record that expired or whose first
     * request was abandoned (in flight since before {@code abandonedBefore}, e.g. the instance died).
     * Returns the record that holds the key when it cannot be taken.
     */
    public Optional<Held> claim(Connection c, String scope, String key, String requestSha256, Instant now,
                                Instant expiresAt, Instant abandonedBefore) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO idempotency_records (scope, idempotency_key, "
                + "request_sha256, state, claimed_at, expires_at) VALUES (?, ?, ?, 'in_flight', ?, ?) "
                + "ON CONFLICT DO NOTHING")) {
            ps.setString(1, scope);
            ps.setString(2, key);
            ps.setString(3, requestSha256);
            ps.setLong(4, Times.toMicros(now));
            ps.setLong(5, Times.toMicros(expiresAt));
            if (ps.executeUpdate() == 1) {
                return Optional.empty();
            }
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE idempotency_records SET request_sha256 = ?, "
                + "state = 'in_flight', response_status = NULL, response_body = NULL, deployment_id = NULL, "
                + "claimed_at = ?, expires_at = ? WHERE scope = ? AND idempotency_key = ? "
                + "AND (expires_at <= ? OR (state = 'in_flight' AND claimed_at < ?))")) {
            ps.setString(1, requestSha256);
            ps.setLong(2, Times.toMicros(now));
            ps.setLong(3, Times.toMicros(expiresAt));
            ps.setString(4, scope);
            ps.setString(5, key);
            ps.setLong(6, Times.toMicros(now));
            ps.setLong(7, Times.toMicros(abandonedBefore));
            if (ps.executeUpdate() == 1) {
                return Optional.empty();
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT request_sha256, state, response_status, response_body "
                + "FROM idempotency_records WHERE scope = ? AND idempotency_key = ?")) {
            ps.setString(1, scope);
            ps.setString(2, key);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("idempotency record " + key + " vanished while being claimed");
                }
                int status = rs.getInt(3);
                Integer maybeStatus = rs.wasNull() ? null : status;
                return Optional.of(new Held(rs.getString(1), "in_flight".equals(rs.getString(2)), maybeStatus,
                        rs.getString(4)));
            }
        }
    }

    /** Stores the first response; from now on the key replays it. */
    public void complete(Connection c, String scope, String key, int status, String body, String deploymentId)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE idempotency_records SET state = 'done', "
                + "response_status = ?, response_body = ?, deployment_id = ? WHERE scope = ? AND idempotency_key = ?")) {
            ps.setInt(1, status);
            ps.setString(2, body);
            if (deploymentId == null) {
                ps.setNull(3, Types.VARCHAR);
            } else {
                ps.setString(3, deploymentId);
            }
            ps.setString(4, scope);
            ps.setString(5, key);
            ps.executeUpdate();
        }
    }

    /** Gives the key back after a failure that is nobody's fault (a 500): the client may retry with it. */
    public void release(Connection c, String scope, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM idempotency_records "
                + "WHERE scope = ? AND idempotency_key = ? AND state = 'in_flight'")) {
            ps.setString(1, scope);
            ps.setString(2, key);
            ps.executeUpdate();
        }
    }

    public int deleteExpired(Connection c, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM idempotency_records WHERE expires_at <= ?")) {
            ps.setLong(1, Times.toMicros(now));
            return ps.executeUpdate();
        }
    }
}
