package dev.roboflare.controlplane.deploy;

import dev.roboflare.controlplane.Ids;
import dev.roboflare.controlplane.storage.DeploymentRows;
import dev.roboflare.controlplane.storage.DeploymentRows.Active;
import dev.roboflare.controlplane.storage.DeploymentRows.DeploymentRow;
import dev.roboflare.controlplane.storage.EventRows;
import dev.roboflare.controlplane.storage.RolloutRows;
import dev.roboflare.controlplane.storage.RolloutRows.ChildState;
import dev.roboflare.controlplane.storage.RolloutRows.Policy;
import dev.roboflare.controlplane.storage.Transactor;
import dev.roboflare.protocol.DeploymentStatus;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Judges a fleet deployment each time one of its robots reports an outcome, in that report's transaction:
 * <ul>
 * <li>auto-halt: once at least {@code min_finished} children have an outcome from their robot and
 * (failed + rolled_back) / finished is above {@code max_failure_ratio}, the parent gets {@code failed} "auto-halted:
 * ..." and every child without an outcome (queued or dispatched) gets {@code failed} with the same reason;</li>
 * <li>waves ({@code batch_size}): when no child is dispatched any more, the lowest wave that still has queued
 * children is dispatched, but only if the outcomes so far are within the ratio (no minimum count here: a wave that
 * finished above the ratio halts the rollout).</li>
 * </ul>
 * Outcomes the control plane wrote (superseded, cancelled, quarantined) are not robot verdicts and do not count.
 * The parent row is locked first, so two reports of one fleet are judged one after the other.
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

    /** What the gate did, for the log; empty when it did nothing. */
    Optional<String> afterOutcome(Connection c, String parentId, Instant now) throws SQLException {
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
        List<ChildState> children = rollouts.children(c, parentId);
        int finished = 0;
        int bad = 0;
        boolean inFlight = false;
        Integer nextWave = null;
        int waves = 0;
        for (ChildState child : children) {
            if (child.reportedByRobot() && child.status().isFinal()) {
                finished++;
                if (child.status() == DeploymentStatus.FAILED || child.status() == DeploymentStatus.ROLLED_BACK) {
                    bad++;
                }
            }
            inFlight |= child.status() == DeploymentStatus.DISPATCHED;
            if (child.wave() != null) {
                waves = Math.max(waves, child.wave() + 1);
                if (child.status() == DeploymentStatus.QUEUED && (nextWave == null || child.wave() < nextWave)) {
                    nextWave = child.wave();
                }
            }
        }
        double ratio = finished == 0 ? 0 : (double) bad / finished;
        String tally = bad + " of " + finished + " finished children failed or rolled back (ratio "
                + String.format(Locale.ROOT, "%.2f", ratio) + ", max_failure_ratio "
                + String.format(Locale.ROOT, "%.2f", policy.maxFailureRatio()) + ")";
        boolean crossed = ratio > policy.maxFailureRatio();
        if (crossed && finished >= policy.minFinished()) {
            return Optional.of(halt(c, parentId, children, "auto-halted: " + tally, now));
        }
        if (policy.batchSize() == null || inFlight || nextWave == null) {
            return Optional.empty();
        }
        if (crossed) {
            return Optional.of(halt(c, parentId, children, "auto-halted before wave " + (nextWave + 1) + " of "
                    + waves + ": " + tally, now));
        }
        List<String> ids = new ArrayList<>();
        for (ChildState child : children) {
            if (child.status() == DeploymentStatus.QUEUED && nextWave.equals(child.wave())) {
                ids.add(child.id());
            }
        }
        String detail = "wave " + (nextWave + 1) + " of " + waves + " dispatched: " + tally;
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
        return Optional.of(detail);
    }

    private String halt(Connection c, String parentId, List<ChildState> children, String reason, Instant now)
            throws SQLException {
        List<Active> open = new ArrayList<>();
        for (ChildState child : children) {
            if (!child.status().isFinal()) {
                open.add(new Active(child.id(), child.robotId(), child.seq(), child.status()));
            }
        }
        List<Active> stopped = stopper.stop(c, open, a -> reason, now);
        String detail = reason + "; " + stopped.size() + " children without an outcome were stopped";
        events.append(c, parentId, Ids.newId(), DeploymentStatus.FAILED, detail, EventRows.Source.CONTROL_PLANE, now);
        return detail;
    }
}
