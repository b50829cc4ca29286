package dev.roboflare.controlplane.storage;

import java.sql.Connection;
import java.sql.SQLException;
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
        if (Rows.update(c, "INSERT INTO idempotency_records (scope, idempotency_key, request_sha256, state, claimed_at, "
                + "expires_at) VALUES (?, ?, ?, 'in_flight', ?, ?) ON CONFLICT DO NOTHING",
                scope, key, requestSha256, now, expiresAt) == 1) {
            return Optional.empty();
        }
        if (Rows.update(c, "UPDATE idempotency_records SET request_sha256 = ?, state = 'in_flight', "
                + "response_status = NULL, response_body = NULL, deployment_id = NULL, claimed_at = ?, expires_at = ? "
                + "WHERE scope = ? AND idempotency_key = ? AND (expires_at <= ? OR (state = 'in_flight' AND claimed_at < ?))",
                requestSha256, now, expiresAt, scope, key, now, abandonedBefore) == 1) {
            return Optional.empty();
        }
        Held held = Rows.one(c, "SELECT request_sha256, state, response_status, response_body "
                + "FROM idempotency_records WHERE scope = ? AND idempotency_key = ?", rs -> {
                    int status = rs.getInt(3);
                    Integer maybeStatus = rs.wasNull() ? null : status;
                    return new Held(rs.getString(1), "in_flight".equals(rs.getString(2)), maybeStatus, rs.getString(4));
                }, scope, key)
                .orElseThrow(() -> new SQLException("idempotency record " + key + " vanished while being claimed"));
        return Optional.of(held);
    }

    /** Stores the first response; from now on the key replays it. */
    public void complete(Connection c, String scope, String key, int status, String body, String deploymentId)
            throws SQLException {
        Rows.update(c, "UPDATE idempotency_records SET state = 'done', response_status = ?, response_body = ?, "
                + "deployment_id = ? WHERE scope = ? AND idempotency_key = ?", status, body, deploymentId, scope, key);
    }

    /** Gives the key back after a failure that is nobody's fault (a 500): the client may retry with it. */
    public void release(Connection c, String scope, String key) throws SQLException {
        Rows.update(c, "DELETE FROM idempotency_records WHERE scope = ? AND idempotency_key = ? AND state = 'in_flight'",
                scope, key);
    }

    public int deleteExpired(Connection c, Instant now) throws SQLException {
        return Rows.update(c, "DELETE FROM idempotency_records WHERE expires_at <= ?", now);
    }
}
