package dev.roboflare.controlplane.deploy;

import dev.roboflare.controlplane.Ids;
import dev.roboflare.controlplane.storage.DeploymentRows;
import dev.roboflare.controlplane.storage.DeploymentRows.Active;
import dev.roboflare.controlplane.storage.DeploymentRows.DeploymentRow;
import dev.roboflare.controlplane.storage.EventRows;
import dev.roboflare.controlplane.storage.RolloutRows;
import dev.roboflare.controlplane.storage.RolloutRows.Policy;
import dev.roboflare.controlplane.storage.RolloutRows.Tally;
import dev.roboflare.controlplane.storage.Transactor;
import dev.roboflare.protocol.DeploymentStatus;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Judges a fleet deployment each time one of its robots reports an outcome, in that report's transaction:
 * <ul>
 * <li>auto-halt: once at least {@code min_finished} children have an outcome from their robot and
 * (failed + rolled_back) / finished is above {@code max_failure_ratio}, the parent gets {@code failed} "auto-halted:
 * ..." and every child without an outcome (queued or dispatched) gets {@code failed} with the same reason;</li>
 * <li>waves ({@code batch_size}): when no child of the wave out now is left without a final status, the next wave
 * that still has queued children is dispatched, but only if the outcomes so far are within the ratio (no minimum
 * count here: a wave that finished above the ratio halts the rollout).</li>
 * </ul>
 * Outcomes the control plane wrote (superseded, cancelled, quarantined) are not robot verdicts and do not count.
 * The parent row is locked first, so two reports of one fleet are judged one after the other. The judgement reads
 * and updates the parent's running counts (rollout_tallies), a few statements whatever the fleet's size; only
 * sending a wave out reads that wave's children, and only a halt reads every child still open.
 */
final class RolloutGate {
    static final double DEFAULT_MAX_FAILURE_RATIO = 0.2;
    static final int MIN_FINISHED = 5;

    private final Transactor db;
    private final DeploymentStopper stopper;
    private final DeploymentRows deployments = new DeploymentRows();
    private final EventRows events = new EventRows();
    private final RolloutRows rollouts = new RolloutRows();

    RolloutGate(Transactor db) {
        this.db = db;
        this.stopper = new DeploymentStopper(db);
    }

    /** The tally a new fleet deployment starts with; {@code waves}: child id → wave (empty: unbatched). */
    static Tally firstTally(Map<String, Integer> waves) {
        int count = waves.values().stream().mapToInt(w -> w + 1).max().orElse(0);
        int open = (int) waves.values().stream().filter(w -> w == 0).count();
        return new Tally(0, 0, 0, count, open);
    }

    /**
     * After robot outcome {@code outcome} of child {@code childId} was appended. What the gate did, for the log;
     * empty when it did nothing.
     */
    Optional<String> afterOutcome(Connection c, String parentId, String childId, DeploymentStatus outcome,
                                  Instant now) throws SQLException {
        Optional<Policy> found = rollouts.policy(c, parentId);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Policy policy = found.get();
        deployments.lock(c, db.dialect(), List.of(parentId), false);
        DeploymentRow parent = deployments.find(c, parentId).orElseThrow();
        if (parent.status() != DeploymentStatus.DISPATCHED) {
            return Optional.empty(); // already halted or cancelled
        }
        Tally tally = counted(c, parentId, childId, outcome);
        int finished = tally.finished();
        int bad = tally.bad();
        double ratio = finished == 0 ? 0 : (double) bad / finished;
        String counts = bad + " of " + finished + " finished children failed or rolled back (ratio "
                + String.format(Locale.ROOT, "%.2f", ratio) + ", max_failure_ratio "
                + String.format(Locale.ROOT, "%.2f", policy.maxFailureRatio()) + ")";
        boolean crossed = ratio > policy.maxFailureRatio();
        if (crossed && finished >= policy.minFinished()) {
            return Optional.of(halt(c, parentId, "auto-halted: " + counts, now));
        }
        if (policy.batchSize() == null || tally.openInWave() > 0) {
            return Optional.empty();
        }
        int nextWave = tally.wave();
        List<String> ids = List.of();
        while (ids.isEmpty() && nextWave + 1 < tally.waves()) { // a wave quarantine or supersede emptied is skipped
            nextWave++;
            ids = rollouts.queuedInWave(c, parentId, nextWave);
        }
        if (ids.isEmpty()) {
            rollouts.updateTally(c, parentId, tally.withWaveOut(tally.waves(), 0)); // every wave is out
            return Optional.empty();
        }
        if (crossed) {
            return Optional.of(halt(c, parentId, "auto-halted before wave " + (nextWave + 1) + " of "
                    + tally.waves() + ": " + counts, now));
        }
        String detail = "wave " + (nextWave + 1) + " of " + tally.waves() + " dispatched: " + counts;
        List<EventRows.NewEvent> dispatched = new ArrayList<>();
        for (Active a : deployments.activeAmong(c, deployments.lock(c, db.dialect(), ids, false))) {
            if (a.status() == DeploymentStatus.QUEUED) {
                dispatched.add(new EventRows.NewEvent(a.id(), a.seq() + 1, Ids.newId(), DeploymentStatus.DISPATCHED,
                        detail));
            }
        }
        events.appendBatch(c, dispatched, EventRows.Source.CONTROL_PLANE, now);
        events.append(c, parentId, Ids.newId(), DeploymentStatus.DISPATCHED, detail + " (" + dispatched.size()
                + " robots)", EventRows.Source.CONTROL_PLANE, now);
        rollouts.updateTally(c, parentId, tally.withWaveOut(nextWave, dispatched.size()));
        return Optional.of(detail);
    }

    /** The parent's tally with this outcome counted, saved; made from every child once for an older deployment. */
    private Tally counted(Connection c, String parentId, String childId, DeploymentStatus outcome)
            throws SQLException {
        Optional<Tally> stored = rollouts.tally(c, parentId);
        if (stored.isEmpty()) { // created before V27: the full read already sees this outcome
            Tally made = Tally.of(rollouts.children(c, parentId));
            rollouts.insertTally(c, parentId, made);
            return made;
        }
        Optional<Integer> wave = rollouts.wave(c, childId);
        Tally t = stored.get().withOutcome(outcome == DeploymentStatus.FAILED || outcome == DeploymentStatus.ROLLED_BACK,
                wave.isPresent() && wave.get() == stored.get().wave());
        rollouts.updateTally(c, parentId, t);
        return t;
    }

    private String halt(Connection c, String parentId, String reason, Instant now) throws SQLException {
        List<Active> stopped = stopper.stop(c, deployments.activeChildren(c, parentId), a -> reason, now);
        String detail = reason + "; " + stopped.size() + " children without an outcome were stopped";
        events.append(c, parentId, Ids.newId(), DeploymentStatus.FAILED, detail, EventRows.Source.CONTROL_PLANE, now);
        return detail;
    }
}
