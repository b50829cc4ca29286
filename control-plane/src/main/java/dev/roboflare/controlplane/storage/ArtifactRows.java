package dev.roboflare.controlplane.storage;

import dev.roboflare.protocol.ArtifactKind;
import dev.roboflare.protocol.OperatorApi.Artifact;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The artifacts table. Each row belongs to one organisation (V21); operators only ever reach their own. */
public final class ArtifactRows {
    private static final String COLUMNS = "id, kind, name, sha256, size_bytes, created_at";

    public void insert(Connection c, String org, Artifact a, String storageUrl) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO artifacts (id, kind, name, sha256, size_bytes, storage_url, created_at, org) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, a.id());
            ps.setString(2, a.kind().wire());
            ps.setString(3, a.name());
            ps.setString(4, a.sha256());
            ps.setLong(5, a.size());
            ps.setString(6, storageUrl);
            ps.setLong(7, Times.toMicros(a.createdAt()));
            ps.setString(8, org);
            ps.executeUpdate();
        }
    }

    /** The bytes the organisation's artifacts add up to (each row counts, shared blobs included): its quota usage. */
    public long bytesUsed(Connection c, String org) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT COALESCE(SUM(size_bytes), 0) FROM artifacts WHERE org = ?")) {
            ps.setString(1, org);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Any organisation's: for the robot side (signed downloads, a robot's deployments), never for operators. */
    public Optional<Artifact> find(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM artifacts WHERE id = ?")) {
            ps.setString(1, id);
            return first(ps);
        }
    }

    public Optional<Artifact> find(Connection c, String org, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM artifacts WHERE id = ? AND org = ?")) {
            ps.setString(1, id);
            ps.setString(2, org);
            return first(ps);
        }
    }

    public Optional<Artifact> findSameBytes(Connection c, String org, ArtifactKind kind, String name, String sha256)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT " + COLUMNS + " FROM artifacts WHERE org = ? AND kind = ? AND name = ? AND sha256 = ?")) {
            ps.setString(1, org);
            ps.setString(2, kind.wire());
            ps.setString(3, name);
            ps.setString(4, sha256);
            return first(ps);
        }
    }

    public List<Artifact> listNewestFirst(Connection c, String org) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT " + COLUMNS + " FROM artifacts WHERE org = ? ORDER BY created_at DESC, id")) {
            ps.setString(1, org);
            List<Artifact> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(map(rs));
                }
            }
            return out;
        }
    }

    private static Optional<Artifact> first(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(map(rs)) : Optional.empty();
        }
    }

    private static Artifact map(ResultSet rs) throws SQLException {
        return new Artifact(rs.getString("id"), ArtifactKind.fromWire(rs.getString("kind")), rs.getString("name"),
                rs.getString("sha256"), rs.getLong("size_bytes"), Rows.instant(rs, "created_at"));
    }
}
