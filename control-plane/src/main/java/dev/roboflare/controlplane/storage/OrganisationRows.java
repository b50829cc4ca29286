package dev.roboflare.controlplane.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The organisations table (V21): names and storage quotas (V23, null: none); 'default' is built in. */
public final class OrganisationRows {
    public record OrganisationRow(String name, Instant createdAt, Long quotaBytes) {
    }

    /** False when the name is taken (nothing inserted). */
    public boolean insert(Connection c, String name, Instant now, Long quotaBytes) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO organisations (name, created_at, quota_bytes) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")) {
            ps.setString(1, name);
            ps.setLong(2, Times.toMicros(now));
            ps.setObject(3, quotaBytes, java.sql.Types.BIGINT);
            return ps.executeUpdate() == 1;
        }
    }

    /** False when there is no such organisation. */
    public boolean setQuota(Connection c, String name, Long quotaBytes) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE organisations SET quota_bytes = ? WHERE name = ?")) {
            ps.setObject(1, quotaBytes, java.sql.Types.BIGINT);
            ps.setString(2, name);
            return ps.executeUpdate() == 1;
        }
    }

    /** The organisation's quota in bytes, or null when it has none. */
    public Long quotaBytes(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT quota_bytes FROM organisations WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                long q = rs.getLong(1);
                return rs.wasNull() ? null : q;
            }
        }
    }

    public boolean exists(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM organisations WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    public List<OrganisationRow> listOldestFirst(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT name, created_at, quota_bytes FROM organisations ORDER BY created_at, name");
             ResultSet rs = ps.executeQuery()) {
            List<OrganisationRow> out = new ArrayList<>();
            while (rs.next()) {
                long quota = rs.getLong("quota_bytes");
                out.add(new OrganisationRow(rs.getString(1), Rows.instant(rs, "created_at"), rs.wasNull() ? null : quota));
            }
            return out;
        }
    }
}
