package dev.roboflare.controlplane.storage;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/** The organisations table (V21): names only; 'default' is built in. */
public final class OrganisationRows {
    public record OrganisationRow(String name, Instant createdAt) {
    }

    /** False when the name is taken (nothing inserted). */
    public boolean insert(Connection c, String name, Instant now) throws SQLException {
        return Rows.update(c, "INSERT INTO organisations (name, created_at) VALUES (?, ?) ON CONFLICT DO NOTHING",
                name, now) == 1;
    }

    public boolean exists(Connection c, String name) throws SQLException {
        return Rows.one(c, "SELECT 1 FROM organisations WHERE name = ?", rs -> true, name).isPresent();
    }

    public List<OrganisationRow> listOldestFirst(Connection c) throws SQLException {
        return Rows.query(c, "SELECT name, created_at FROM organisations ORDER BY created_at, name",
                rs -> new OrganisationRow(rs.getString(1), Rows.instant(rs, "created_at")));
    }
}
