package dev.roboflare.controlplane.deploy;

import dev.roboflare.controlplane.RequestRejected;
import dev.roboflare.controlplane.storage.DeploymentRows;
import dev.roboflare.controlplane.storage.DeploymentRows.Active;
import dev.roboflare.controlplane.storage.Transactor;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POST /api/deployments/{id}/cancel: every part of the deployment (itself and, for a fleet, its children) that
 * has no outcome yet gets {@code failed "cancelled by operator"}. Applied, failed and rolled-back children keep
 * their outcome; cancelling twice changes nothing the second time.
 */
public final class DeploymentCanceller {
    private static final Logger log = LoggerFactory.getLogger(DeploymentCanceller.class);

    private final Transactor db;
    private final Clock clock;
    private final DeploymentViews views;
    private final DeploymentStopper stopper;
    private final DeploymentRows deployments = new DeploymentRows();

    public DeploymentCanceller(Transactor db, Clock clock, DeploymentViews views) {
        this.db = db;
        this.clock = clock;
        this.views = views;
        this.stopper = new DeploymentStopper(db);
    }

    public DeploymentView cancel(String org, String id) {
        Instant now = clock.instant();
        return db.inTransaction(c -> {
            DeploymentView d = views.load(c, org, id); // 404 for an unknown id or another organisation's
            if (d.parentId() != null) {
                throw RequestRejected.conflict("deployment " + id + " is one robot's part of fleet deployment "
                        + d.parentId() + "; cancel the fleet deployment (POST /api/deployments/" + d.parentId()
                        + "/cancel)");
            }
            List<Active> stopped = stopper.stop(c, deployments.activeInTree(c, id), a -> "cancelled by operator", now);
            log.info("deployment {} cancelled: {} part(s) stopped", id, stopped.size());
            return views.load(c, org, id);
        });
    }
}
