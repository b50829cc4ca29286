package dev.roboflare.controlplane.storage;

import dev.roboflare.protocol.DeploymentStatus;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * rollout_policies and rollout_waves (insert-only), rollout_tallies (the RolloutGate's running counts), plus the
 * per-child state a tally is first made from.
 */
public final class RolloutRows {
    public record Policy(String deploymentId, double maxFailureRatio, int minFinished, Integer batchSize) {
    }

    /** A fleet child's current status, who wrote it (robot or control plane), and its wave (null: unbatched). */
    public record ChildState(String id, String robotId, long seq, DeploymentStatus status, boolean reportedByRobot,
                             Integer wave) {
    }

    /**
     * A fleet deployment's running counts (rollout_tallies): robot outcomes ({@code finished}, of which {@code bad}
     * failed or rolled back) and, when batched, the wave out now, the number of waves and how many children of the
     * wave out now have no final status yet.
     */
    public record Tally(int finished, int bad, int wave, int waves, int openInWave) {
        /** After one more outcome from a robot of the wave out now ({@code inWave}) or of none (unbatched). */
        public Tally withOutcome(boolean failedOrRolledBack, boolean inWave) {
            return new Tally(finished + 1, bad + (failedOrRolledBack ? 1 : 0), wave, waves,
                    inWave ? Math.max(0, openInWave - 1) : openInWave);
        }

        public Tally withWaveOut(int newWave, int open) {
            return new Tally(finished, bad, newWave, waves, open);
        }

        /**
         * From every child's state at once (a fleet deployment created before rollout_tallies existed): the wave
         * out now is the lowest with a dispatched child; with none dispatched, the one before the lowest queued
         * wave, with nothing open, so the next outcome's judgement sends that wave out.
         */
        public static Tally of(List<ChildState> children) {
            int finished = 0;
            int bad = 0;
            int waves = 0;
            Integer lowestDispatched = null;
            Integer lowestQueued = null;
            for (ChildState child : children) {
                if (child.reportedByRobot() && child.status().isFinal()) {
                    finished++;
                    if (child.status() == DeploymentStatus.FAILED || child.status() == DeploymentStatus.ROLLED_BACK) {
                        bad++;
                    }
                }
                if (child.wave() != null) {
                    waves = Math.max(waves, child.wave() + 1);
                    if (child.status() == DeploymentStatus.DISPATCHED) {
                        lowestDispatched = lowestDispatched == null ? child.wave() : Math.min(lowestDispatched, child.wave());
                    } else if (child.status() == DeploymentStatus.QUEUED) {
                        lowestQueued = lowestQueued == null ? child.wave() : Math.min(lowestQueued, child.wave());
                    }
                }
            }
            int wave = lowestDispatched != null ? lowestDispatched : lowestQueued != null ? lowestQueued - 1 : waves;
            int open = 0;
            for (ChildState child : children) {
                if (lowestDispatched != null && child.wave() != null && child.wave() == wave && !child.status().isFinal()) {
                    open++;
                }
            }
            return new Tally(finished, bad, wave, waves, open);
        }
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

    /** {@code waves}: child id → wave, inserted all at once ({@link Rows#insertAll}). */
    public void insertWaves(Connection c, String parentId, Map<String, Integer> waves) throws SQLException {
        Rows.insertAll(c, "rollout_waves", List.of(new Rows.Column("deployment_id", "varchar"),
                new Rows.Column("parent_id", "varchar"), new Rows.Column("wave", "integer")), waves.entrySet(),
                w -> new Object[] {w.getKey(), parentId, w.getValue()});
    }

    public void insertTally(Connection c, String parentId, Tally t) throws SQLException {
        Rows.update(c, "INSERT INTO rollout_tallies (deployment_id, finished, bad, wave, waves, open_in_wave) "
                + "VALUES (?, ?, ?, ?, ?, ?)", parentId, t.finished(), t.bad(), t.wave(), t.waves(), t.openInWave());
    }

    public void updateTally(Connection c, String parentId, Tally t) throws SQLException {
        Rows.update(c, "UPDATE rollout_tallies SET finished = ?, bad = ?, wave = ?, waves = ?, open_in_wave = ? "
                + "WHERE deployment_id = ?", t.finished(), t.bad(), t.wave(), t.waves(), t.openInWave(), parentId);
    }

    /** Empty for a fleet deployment created before rollout_tallies (V27): make it with {@link Tally#of}. */
    public Optional<Tally> tally(Connection c, String parentId) throws SQLException {
        return Rows.one(c, "SELECT finished, bad, wave, waves, open_in_wave FROM rollout_tallies "
                + "WHERE deployment_id = ?", rs -> new Tally(rs.getInt(1), rs.getInt(2), rs.getInt(3), rs.getInt(4),
                rs.getInt(5)), parentId);
    }

    /** A child's wave; empty when its rollout is not batched (or it was quarantined at creation). */
    public Optional<Integer> wave(Connection c, String childId) throws SQLException {
        return Rows.one(c, "SELECT wave FROM rollout_waves WHERE deployment_id = ?", rs -> rs.getInt(1), childId);
    }

    /** The children of one wave that are still queued (rollout_waves_by_parent: one wave's rows, not the fleet's). */
    public List<String> queuedInWave(Connection c, String parentId, int wave) throws SQLException {
        return Rows.query(c, "SELECT w.deployment_id FROM rollout_waves w JOIN deployment_events e "
                + "ON e.deployment_id = w.deployment_id "
                + "AND e.seq = (SELECT MAX(x.seq) FROM deployment_events x WHERE x.deployment_id = w.deployment_id) "
                + "WHERE w.parent_id = ? AND w.wave = ? AND e.status = 'queued' ORDER BY w.deployment_id",
                rs -> rs.getString(1), parentId, wave);
    }

    /**
     * The control plane ended these deployments (superseded, cancelled, halted): those in the wave their rollout
     * has out now no longer hold it open. One statement per {@link Rows#BATCH} ids.
     */
    public void endedByControlPlane(Connection c, List<String> ids) throws SQLException {
        for (int from = 0; from < ids.size(); from += Rows.BATCH) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + Rows.BATCH));
            String in = String.join(",", java.util.Collections.nCopies(chunk.size(), "?"));
            Object[] params = new Object[chunk.size() * 2];
            for (int i = 0; i < chunk.size(); i++) {
                params[i] = chunk.get(i);
                params[chunk.size() + i] = chunk.get(i);
            }
            Rows.update(c, "UPDATE rollout_tallies SET open_in_wave = open_in_wave - (SELECT COUNT(*) FROM "
                    + "rollout_waves w WHERE w.parent_id = rollout_tallies.deployment_id "
                    + "AND w.wave = rollout_tallies.wave AND w.deployment_id IN (" + in + ")) "
                    + "WHERE deployment_id IN (SELECT parent_id FROM rollout_waves WHERE deployment_id IN (" + in + "))",
                    params);
        }
    }

    /** Every child's state: only to make the tally of a fleet deployment created before V27. */
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
