package dev.roboflare.controlplane.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/** The idempotency_keys table: which deployment a key created, and a fingerprint of the body it came with. */
public final class IdempotencyKeys {
    public record UsedKey(String requestSha256, String deploymentId) {
    }

    public Optional<UsedKey> find(Connection c, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT request_sha256, deployment_id FROM idempotency_keys WHERE idempotency_key = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new UsedKey(rs.getString(1), rs.getString(2))) : Optional.empty();
            }
        }
    }

    public void insert(Connection c, String key, String requestSha256, String deploymentId, Instant now)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO idempotency_keys "
                + "(idempotency_key, request_sha256, deployment_id, created_at) VALUES (?, ?, ?, ?)")) {
            ps.setString(1, key);
            ps.setString(2, requestSha256);
            ps.setString(3, deploymentId);
            ps.setLong(4, Times.toMicros(now));
            ps.executeUpdate();
        }
    }
}
