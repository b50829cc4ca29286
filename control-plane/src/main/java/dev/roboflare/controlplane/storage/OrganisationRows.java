package dev.roboflare.controlplane.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The organisations table (V21): names only; 'default' is built in. */
public final class OrganisationRows {
    public record OrganisationRow(String name, Instant createdAt) {
    }

    /** False when the name is taken (nothing inserted). */
    public boolean insert(Connection c, String name, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO organisations (name, created_at) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
            ps.setString(1, name);
            ps.setLong(2, Times.toMicros(now));
            return ps.executeUpdate() == 1;
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
                "SELECT name, created_at FROM organisations ORDER BY created_at, name");
             ResultSet rs = ps.executeQuery()) {
            List<OrganisationRow> out = new ArrayList<>();
            while (rs.next()) {
                out.add(new OrganisationRow(rs.getString(1), Rows.instant(rs, "created_at")));
            }
            return out;
        }
    }
}
