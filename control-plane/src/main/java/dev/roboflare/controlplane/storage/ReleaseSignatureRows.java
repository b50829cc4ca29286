package dev.roboflare.controlplane.storage;

import dev.roboflare.protocol.SignedStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The release_signatures table: append-only, newest first when read. */
public final class ReleaseSignatureRows {
    public record SignatureRow(String id, String releaseId, SignedStatement signed, Instant expiresAt,
                               Instant createdAt) {
    }

    public void insert(Connection c, SignatureRow r) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO release_signatures "
                + "(id, release_id, key_id, statement, signature, expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, r.id());
            ps.setString(2, r.releaseId());
            ps.setString(3, r.signed().keyId());
            ps.setString(4, r.signed().statement());
            ps.setString(5, r.signed().signature());
            ps.setLong(6, Times.toMicros(r.expiresAt()));
            ps.setLong(7, Times.toMicros(r.createdAt()));
            ps.executeUpdate();
        }
    }

    public List<SignatureRow> newestFirst(Connection c, String releaseId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id, release_id, key_id, statement, signature, "
                + "expires_at, created_at FROM release_signatures WHERE release_id = ? ORDER BY created_at DESC, id")) {
            ps.setString(1, releaseId);
            try (ResultSet rs = ps.executeQuery()) {
                List<SignatureRow> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(new SignatureRow(rs.getString("id"), rs.getString("release_id"),
                            new SignedStatement(rs.getString("statement"), rs.getString("signature"),
                                    rs.getString("key_id")),
                            Rows.instant(rs, "expires_at"), Rows.instant(rs, "created_at")));
                }
                return out;
            }
        }
    }

    public Optional<SignedStatement> newest(Connection c, String releaseId) throws SQLException {
        return newestFirst(c, releaseId).stream().findFirst().map(SignatureRow::signed);
    }
}
