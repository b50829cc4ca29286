package dev.roboflare.controlplane.storage;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/** The organisations table (V21): names and storage quotas (V23, null: none); 'default' is built in. */
public final class OrganisationRows {
    public record OrganisationRow(String name, Instant createdAt, Long quotaBytes) {
    }

    /** False when the name is taken (nothing inserted). */
    public boolean insert(Connection c, String name, Instant now, Long quotaBytes) throws SQLException {
        return Rows.update(c, "INSERT INTO organisations (name, created_at, quota_bytes) VALUES (?, ?, ?) "
                + "ON CONFLICT DO NOTHING", name, now, quotaBytes) == 1;
    }

    /** False when there is no such organisation. */
    public boolean setQuota(Connection c, String name, Long quotaBytes) throws SQLException {
        return Rows.update(c, "UPDATE organisations SET quota_bytes = ? WHERE name = ?", quotaBytes, name) == 1;
    }

    /** The organisation's quota in bytes, or null when it has none (or there is no such organisation). */
    public Long quotaBytes(Connection c, String name) throws SQLException {
        return Rows.one(c, "SELECT quota_bytes FROM organisations WHERE name = ?", rs -> nullableLong(rs, 1), name)
                .orElse(null);
    }

    private static Long nullableLong(java.sql.ResultSet rs, int column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    public boolean exists(Connection c, String name) throws SQLException {
        return Rows.one(c, "SELECT 1 FROM organisations WHERE name = ?", rs -> true, name).isPresent();
    }

    public List<OrganisationRow> listOldestFirst(Connection c) throws SQLException {
        return Rows.query(c, "SELECT name, created_at, quota_bytes FROM organisations ORDER BY created_at, name",
                rs -> new OrganisationRow(rs.getString(1), Rows.instant(rs, "created_at"), nullableLong(rs, 3)));
    }
}
