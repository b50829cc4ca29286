package dev.roboflare.controlplane.storage;

import dev.roboflare.protocol.ArtifactKind;
import dev.roboflare.protocol.OperatorApi.Artifact;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** The artifacts table. Each row belongs to one organisation (V21); operators only ever reach their own. */
public final class ArtifactRows {
    private static final String SELECT = "SELECT id, kind, name, sha256, size_bytes, created_at FROM artifacts ";

    public void insert(Connection c, String org, Artifact a, String storageUrl) throws SQLException {
        Rows.update(c, "INSERT INTO artifacts (id, kind, name, sha256, size_bytes, storage_url, created_at, org) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", a.id(), a.kind().wire(), a.name(), a.sha256(), a.size(),
                storageUrl, a.createdAt(), org);
    }

    /** The bytes the organisation's artifacts add up to (each row counts, shared blobs included): its quota usage. */
    public long bytesUsed(Connection c, String org) throws SQLException {
        return Rows.one(c, "SELECT COALESCE(SUM(size_bytes), 0) FROM artifacts WHERE org = ?", rs -> rs.getLong(1), org)
                .orElse(0L);
    }

    /** Any organisation's: for the robot side (signed downloads, a robot's deployments), never for operators. */
    public Optional<Artifact> find(Connection c, String id) throws SQLException {
        return Rows.one(c, SELECT + "WHERE id = ?", ArtifactRows::map, id);
    }

    public Optional<Artifact> find(Connection c, String org, String id) throws SQLException {
        return Rows.one(c, SELECT + "WHERE id = ? AND org = ?", ArtifactRows::map, id, org);
    }

    public Optional<Artifact> findSameBytes(Connection c, String org, ArtifactKind kind, String name, String sha256)
            throws SQLException {
        return Rows.one(c, SELECT + "WHERE org = ? AND kind = ? AND name = ? AND sha256 = ?", ArtifactRows::map, org,
                kind.wire(), name, sha256);
    }

    public List<Artifact> listNewestFirst(Connection c, String org) throws SQLException {
        return Rows.query(c, SELECT + "WHERE org = ? ORDER BY created_at DESC, id", ArtifactRows::map, org);
    }

    private static Artifact map(ResultSet rs) throws SQLException {
        return new Artifact(rs.getString("id"), ArtifactKind.fromWire(rs.getString("kind")), rs.getString("name"),
                rs.getString("sha256"), rs.getLong("size_bytes"), Rows.instant(rs, "created_at"));
    }
}
