package dev.roboflare.controlplane.storage;

import dev.roboflare.protocol.DeploymentStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** rollout_policies and rollout_waves (insert-only), plus the per-child state the RolloutGate judges. */
public final class RolloutRows {
    public record Policy(String deploymentId, double maxFailureRatio, int minFinished, Integer batchSize) {
    }

    /** A fleet child's current status, who wrote it (robot or control plane), and its wave (null: unbatched). */
    public record ChildState(String id, String robotId, long seq, DeploymentStatus status, boolean reportedByRobot,
                             Integer wave) {
    }

    public void insertPolicy(Connection c, Policy p) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO rollout_policies "
                + "(deployment_id, max_failure_ratio, min_finished, batch_size) VALUES (?, ?, ?, ?)")) {
            ps.setString(1, p.deploymentId());
            ps.setDouble(2, p.maxFailureRatio());
            ps.setInt(3, p.minFinished());
            ps.setObject(4, p.batchSize(), java.sql.Types.INTEGER);
            ps.executeUpdate();
        }
    }

    public Optional<Policy> policy(Connection c, String deploymentId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT max_failure_ratio, min_finished, batch_size "
                + "FROM rollout_policies WHERE deployment_id = ?")) {
            ps.setString(1, deploymentId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                int batch = rs.getInt(3);
                return Optional.of(new Policy(deploymentId, rs.getDouble(1), rs.getInt(2), rs.wasNull() ? null : batch));
            }
        }
    }

    /** {@code waves}: child id → wave, inserted in batches. */
    public void insertWaves(Connection c, String parentId, Map<String, Integer> waves) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO rollout_waves (deployment_id, parent_id, wave) VALUES (?, ?, ?)")) {
            int pending = 0;
            for (Map.Entry<String, Integer> w : waves.entrySet()) {
                ps.setString(1, w.getKey());
                ps.setString(2, parentId);
                ps.setInt(3, w.getValue());
                ps.addBatch();
                if (++pending == DeploymentRows.BATCH) {
                    ps.executeBatch();
                    pending = 0;
                }
            }
            if (pending > 0) {
                ps.executeBatch();
            }
        }
    }

    public List<ChildState> children(Connection c, String parentId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT d.id, d.robot_id, e.seq, e.status, e.reported_by, w.wave "
                + "FROM deployments d JOIN deployment_events e ON e.deployment_id = d.id "
                + "AND e.seq = (SELECT MAX(x.seq) FROM deployment_events x WHERE x.deployment_id = d.id) "
                + "LEFT JOIN rollout_waves w ON w.deployment_id = d.id "
                + "WHERE d.parent_id = ? ORDER BY d.id")) {
            ps.setString(1, parentId);
            try (ResultSet rs = ps.executeQuery()) {
                List<ChildState> out = new ArrayList<>();
                while (rs.next()) {
                    int wave = rs.getInt(6);
                    out.add(new ChildState(rs.getString(1), rs.getString(2), rs.getLong(3),
                            DeploymentStatus.fromWire(rs.getString(4)), "robot".equals(rs.getString(5)),
                            rs.wasNull() ? null : wave));
                }
                return out;
            }
        }
    }

    /**
     * Quarantine: for each robot among {@code robotIds} that rolled back {@code releaseId}, the id of a deployment
     * in which it did. {@code robotIdsSql} selects the robots (a parameterised sub-select), so a fleet of 10,000 is
     * one query.
     */
    public Map<String, String> rolledBack(Connection c, String releaseId, String robotIdsSql, String param)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT d.robot_id, MAX(d.id) FROM deployments d "
                + "JOIN deployment_events e ON e.deployment_id = d.id "
                + "WHERE d.release_id = ? AND e.status = 'rolled_back' AND d.robot_id IN (" + robotIdsSql + ") "
                + "GROUP BY d.robot_id")) {
            ps.setString(1, releaseId);
            ps.setString(2, param);
            try (ResultSet rs = ps.executeQuery()) {
                Map<String, String> out = new HashMap<>();
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getString(2));
                }
                return out;
            }
        }
    }
}
