package dev.roboflare.controlplane.storage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roboflare.protocol.OperatorApi.Release;
import dev.roboflare.protocol.WireJson;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The releases table. There is deliberately no update or delete: releases are immutable. */
public final class ReleaseRows {
    private static final ObjectMapper JSON = WireJson.lenient();
    private static final String COLUMNS = "id, artifact_id, semver, notes, manifest_json, created_at";

    public void insert(Connection c, String org, Release r, String artifactName) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO releases (id, artifact_id, artifact_name, semver, notes, manifest_json, created_at, org) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, r.id());
            ps.setString(2, r.artifactId());
            ps.setString(3, artifactName);
            ps.setString(4, r.semver());
            ps.setString(5, r.notes());
            ps.setString(6, r.manifestJson().toString());
            ps.setLong(7, Times.toMicros(r.createdAt()));
            ps.setString(8, org);
            ps.executeUpdate();
        }
    }

    /** Any organisation's: for the robot side and for rows already reached through the caller's org. */
    public Optional<Release> find(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM releases WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(map(rs)) : Optional.empty();
            }
        }
    }

    public Optional<Release> find(Connection c, String org, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM releases WHERE id = ? AND org = ?")) {
            ps.setString(1, id);
            ps.setString(2, org);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(map(rs)) : Optional.empty();
            }
        }
    }

    public Optional<String> findIdBySemver(Connection c, String org, String artifactName, String semver)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT id FROM releases WHERE org = ? AND artifact_name = ? AND semver = ?")) {
            ps.setString(1, org);
            ps.setString(2, artifactName);
            ps.setString(3, semver);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    public List<Release> listNewestFirst(Connection c, String org) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT " + COLUMNS + " FROM releases WHERE org = ? ORDER BY created_at DESC, id")) {
            ps.setString(1, org);
            try (ResultSet rs = ps.executeQuery()) {
                List<Release> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(map(rs));
                }
                return out;
            }
        }
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
