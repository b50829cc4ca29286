package dev.roboflare.controlplane.deploy;

import dev.roboflare.controlplane.Ids;
import dev.roboflare.controlplane.storage.DeploymentRows;
import dev.roboflare.controlplane.storage.DeploymentRows.Active;
import dev.roboflare.controlplane.storage.EventRows;
import dev.roboflare.controlplane.storage.RolloutRows;
import dev.roboflare.controlplane.storage.Transactor;
import dev.roboflare.protocol.DeploymentStatus;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Ends deployments that have not reached a robot's verdict yet (queued or dispatched) with a control-plane
 * {@code failed} event: superseded by a newer deployment, or cancelled by the operator. Rows are locked first and
 * re-read, so an outcome a robot reported meanwhile is never overwritten. A stopped child of a wave out now no
 * longer holds that wave open (rollout_tallies).
 */
final class DeploymentStopper {
    private final Transactor db;
    private final DeploymentRows deployments = new DeploymentRows();
    private final EventRows events = new EventRows();
    private final RolloutRows rollouts = new RolloutRows();

    DeploymentStopper(Transactor db) {
        this.db = db;
    }

    /** Returns the deployments that were stopped. */
    List<Active> stop(Connection c, List<Active> candidates, Function<Active, String> detail, Instant now)
            throws SQLException {
        if (candidates.isEmpty()) {
            return List.of();
        }
        List<String> ids = new ArrayList<>();
        candidates.forEach(a -> ids.add(a.id()));
        List<Active> stillActive = deployments.activeAmong(c, deployments.lockParentsFirst(c, db.dialect(), ids));
        List<EventRows.NewEvent> failed = new ArrayList<>();
        for (Active a : stillActive) {
            failed.add(new EventRows.NewEvent(a.id(), a.seq() + 1, Ids.newId(), DeploymentStatus.FAILED, detail.apply(a)));
        }
        events.appendBatch(c, failed, EventRows.Source.CONTROL_PLANE, now);
        rollouts.endedByControlPlane(c, stillActive.stream().map(Active::id).toList());
        return stillActive;
    }
}
