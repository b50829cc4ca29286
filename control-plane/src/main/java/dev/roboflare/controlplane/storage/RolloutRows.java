package dev.roboflare.controlplane.storage;

import dev.roboflare.protocol.DeploymentStatus;
import java.sql.Connection;
import java.sql.SQLException;
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
        Rows.update(c, "INSERT INTO rollout_policies (deployment_id, max_failure_ratio, min_finished, batch_size) "
                + "VALUES (?, ?, ?, ?)", p.deploymentId(), p.maxFailureRatio(), p.minFinished(), p.batchSize());
    }

    public Optional<Policy> policy(Connection c, String deploymentId) throws SQLException {
        return Rows.one(c, "SELECT max_failure_ratio, min_finished, batch_size FROM rollout_policies "
                + "WHERE deployment_id = ?", rs -> {
                    int batch = rs.getInt(3);
                    return new Policy(deploymentId, rs.getDouble(1), rs.getInt(2), rs.wasNull() ? null : batch);
                }, deploymentId);
    }

    /** {@code waves}: child id → wave, inserted in batches. */
    public void insertWaves(Connection c, String parentId, Map<String, Integer> waves) throws SQLException {
        Rows.batch(c, "INSERT INTO rollout_waves (deployment_id, parent_id, wave) VALUES (?, ?, ?)", waves.entrySet(),
                w -> new Object[] {w.getKey(), parentId, w.getValue()});
    }

    public List<ChildState> children(Connection c, String parentId) throws SQLException {
        return Rows.query(c, "SELECT d.id, d.robot_id, e.seq, e.status, e.reported_by, w.wave "
                + "FROM deployments d JOIN deployment_events e ON e.deployment_id = d.id "
                + "AND e.seq = (SELECT MAX(x.seq) FROM deployment_events x WHERE x.deployment_id = d.id) "
                + "LEFT JOIN rollout_waves w ON w.deployment_id = d.id "
                + "WHERE d.parent_id = ? ORDER BY d.id", rs -> {
                    int wave = rs.getInt(6);
                    Integer maybeWave = rs.wasNull() ? null : wave;
                    return new ChildState(rs.getString(1), rs.getString(2), rs.getLong(3),
                            DeploymentStatus.fromWire(rs.getString(4)), "robot".equals(rs.getString(5)), maybeWave);
                }, parentId);
    }

    /**
     * Quarantine: for each robot among {@code robotIds} that rolled back {@code releaseId}, the id of a deployment
     * in which it did. {@code robotIdsSql} selects the robots (a parameterised sub-select), so a fleet of 10,000 is
     * one query.
     */
    public Map<String, String> rolledBack(Connection c, String releaseId, String robotIdsSql, String param)
            throws SQLException {
        Map<String, String> out = new HashMap<>();
        for (String[] row : Rows.query(c, "SELECT d.robot_id, MAX(d.id) FROM deployments d "
                + "JOIN deployment_events e ON e.deployment_id = d.id "
                + "WHERE d.release_id = ? AND e.status = 'rolled_back' AND d.robot_id IN (" + robotIdsSql + ") "
                + "GROUP BY d.robot_id", rs -> new String[] {rs.getString(1), rs.getString(2)}, releaseId, param)) {
            out.put(row[0], row[1]);
        }
        return out;
    }
}
