package dev.roboflare.controlplane.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The fleets and fleet_robots tables. */
public final class FleetRows {
    public record FleetRow(String id, String name) {
    }

    public void insert(Connection c, String org, String id, String name, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO fleets (id, name, created_at, org) VALUES (?, ?, ?, ?)")) {
            ps.setString(1, id);
            ps.setString(2, name);
            ps.setLong(3, Times.toMicros(now));
            ps.setString(4, org);
            ps.executeUpdate();
        }
    }

    /** Idempotent: adding a robot that is already a member changes nothing. */
    public void addRobot(Connection c, String fleetId, String robotId, Instant now) throws SQLException {
        // ON CONFLICT DO NOTHING is understood by both SQLite (3.24+) and PostgreSQL.
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO fleet_robots (fleet_id, robot_id, added_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")) {
            ps.setString(1, fleetId);
            ps.setString(2, robotId);
            ps.setLong(3, Times.toMicros(now));
            ps.executeUpdate();
        }
    }

    public Optional<FleetRow> find(Connection c, String org, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id, name FROM fleets WHERE id = ? AND org = ?")) {
            ps.setString(1, id);
            ps.setString(2, org);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new FleetRow(rs.getString(1), rs.getString(2))) : Optional.empty();
            }
        }
    }

    public List<FleetRow> listOldestFirst(Connection c, String org) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT id, name FROM fleets WHERE org = ? ORDER BY created_at, id")) {
            ps.setString(1, org);
            try (ResultSet rs = ps.executeQuery()) {
                List<FleetRow> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(new FleetRow(rs.getString(1), rs.getString(2)));
                }
                return out;
            }
        }
    }

    /** Members in the order they joined. */
    public List<String> robotIds(Connection c, String fleetId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT robot_id FROM fleet_robots WHERE fleet_id = ? ORDER BY added_at, robot_id")) {
            ps.setString(1, fleetId);
            try (ResultSet rs = ps.executeQuery()) {
                List<String> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
                return out;
            }
        }
    }
}
