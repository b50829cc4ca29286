package dev.roboflare.controlplane.storage;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The fleets and fleet_robots tables. */
public final class FleetRows {
    public record FleetRow(String id, String name) {
    }

    public void insert(Connection c, String org, String id, String name, Instant now) throws SQLException {
        Rows.update(c, "INSERT INTO fleets (id, name, created_at, org) VALUES (?, ?, ?, ?)", id, name, now, org);
    }

    /** Idempotent: adding a robot that is already a member changes nothing. */
    public void addRobot(Connection c, String fleetId, String robotId, Instant now) throws SQLException {
        // ON CONFLICT DO NOTHING is understood by both SQLite (3.24+) and PostgreSQL.
        Rows.update(c, "INSERT INTO fleet_robots (fleet_id, robot_id, added_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                fleetId, robotId, now);
    }

    public Optional<FleetRow> find(Connection c, String org, String id) throws SQLException {
        return Rows.one(c, "SELECT id, name FROM fleets WHERE id = ? AND org = ?", FleetRows::map, id, org);
    }

    public List<FleetRow> listOldestFirst(Connection c, String org) throws SQLException {
        return Rows.query(c, "SELECT id, name FROM fleets WHERE org = ? ORDER BY created_at, id", FleetRows::map, org);
    }

    /** Members in the order they joined. */
    public List<String> robotIds(Connection c, String fleetId) throws SQLException {
        return Rows.query(c, "SELECT robot_id FROM fleet_robots WHERE fleet_id = ? ORDER BY added_at, robot_id",
                rs -> rs.getString(1), fleetId);
    }

    private static FleetRow map(java.sql.ResultSet rs) throws SQLException {
        return new FleetRow(rs.getString(1), rs.getString(2));
    }
}
