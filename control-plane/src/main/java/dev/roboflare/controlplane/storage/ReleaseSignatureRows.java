package dev.roboflare.controlplane.storage;

import dev.roboflare.protocol.SignedStatement;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The release_signatures table: append-only, newest first when read. */
public final class ReleaseSignatureRows {
    public record SignatureRow(String id, String releaseId, SignedStatement signed, Instant expiresAt,
                               Instant createdAt) {
    }

    public void insert(Connection c, SignatureRow r) throws SQLException {
        Rows.update(c, "INSERT INTO release_signatures (id, release_id, key_id, statement, signature, expires_at, "
                        + "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)", r.id(), r.releaseId(), r.signed().keyId(),
                r.signed().statement(), r.signed().signature(), r.expiresAt(), r.createdAt());
    }

    public List<SignatureRow> newestFirst(Connection c, String releaseId) throws SQLException {
        return Rows.query(c, "SELECT id, release_id, key_id, statement, signature, expires_at, created_at "
                        + "FROM release_signatures WHERE release_id = ? ORDER BY created_at DESC, id",
                rs -> new SignatureRow(rs.getString("id"), rs.getString("release_id"),
                        new SignedStatement(rs.getString("statement"), rs.getString("signature"), rs.getString("key_id")),
                        Rows.instant(rs, "expires_at"), Rows.instant(rs, "created_at")), releaseId);
    }

    public Optional<SignedStatement> newest(Connection c, String releaseId) throws SQLException {
        return newestFirst(c, releaseId).stream().findFirst().map(SignatureRow::signed);
    }
}
