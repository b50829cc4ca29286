package dev.roboflare.controlplane.storage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roboflare.protocol.OperatorApi.Release;
import dev.roboflare.protocol.WireJson;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** The releases table. There is deliberately no update or delete: releases are immutable. */
public final class ReleaseRows {
    private static final ObjectMapper JSON = WireJson.lenient();
    private static final String COLUMNS = "id, artifact_id, semver, notes, manifest_json, created_at";

    public void insert(Connection c, String org, Release r, String artifactName) throws SQLException {
        Rows.update(c, "INSERT INTO releases (id, artifact_id, artifact_name, semver, notes, manifest_json, created_at, "
                        + "org) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", r.id(), r.artifactId(), artifactName, r.semver(),
                r.notes(), r.manifestJson().toString(), r.createdAt(), org);
    }

    /** Any organisation's: for the robot side and for rows already reached through the caller's org. */
    public Optional<Release> find(Connection c, String id) throws SQLException {
        return Rows.one(c, "SELECT " + COLUMNS + " FROM releases WHERE id = ?", ReleaseRows::map, id);
    }

    public Optional<Release> find(Connection c, String org, String id) throws SQLException {
        return Rows.one(c, "SELECT " + COLUMNS + " FROM releases WHERE id = ? AND org = ?", ReleaseRows::map, id, org);
    }

    public Optional<String> findIdBySemver(Connection c, String org, String artifactName, String semver)
            throws SQLException {
        return Rows.one(c, "SELECT id FROM releases WHERE org = ? AND artifact_name = ? AND semver = ?",
                rs -> rs.getString(1), org, artifactName, semver);
    }

    public List<Release> listNewestFirst(Connection c, String org) throws SQLException {
        return Rows.query(c, "SELECT " + COLUMNS + " FROM releases WHERE org = ? ORDER BY created_at DESC, id",
                ReleaseRows::map, org);
    }

    private static Release map(ResultSet rs) throws SQLException {
        try {
            return new Release(rs.getString("id"), rs.getString("artifact_id"), rs.getString("semver"),
                    rs.getString("notes"), JSON.readTree(rs.getString("manifest_json")), Rows.instant(rs, "created_at"));
        } catch (JsonProcessingException e) {
            throw new SQLException("manifest_json of release " + rs.getString("id") + " is not JSON", e);
        }
    }
}
