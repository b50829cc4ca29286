package dev.roboflare.controlplane.deploy;

import dev.roboflare.controlplane.Ids;
import dev.roboflare.controlplane.storage.DeploymentRows;
import dev.roboflare.controlplane.storage.DeploymentRows.DeploymentRow;
import dev.roboflare.controlplane.storage.EventRows;
import dev.roboflare.controlplane.storage.Transactor;
import dev.roboflare.protocol.DeploymentStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Appends {@code dispatched} to queued deployments whose scheduled_at has come. */
public final class Dispatcher {
    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

    private final Transactor db;
    private final Clock clock;
    private final DeploymentRows deployments = new DeploymentRows();
    private final EventRows events = new EventRows();

    public Dispatcher(Transactor db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Returns how many deployments were dispatched. */
    public int dispatchDue() {
        Instant now = clock.instant();
        List<DeploymentRow> due = db.read(c -> deployments.dueQueued(c, now));
        int dispatched = 0;
        for (DeploymentRow row : due) {
            // Re-checked inside the write transaction, so two ticks can never both dispatch one deployment.
            boolean done = db.inTransaction(c -> {
                DeploymentStatus status = deployments.find(c, row.id()).map(DeploymentRow::status).orElse(null);
                if (status != DeploymentStatus.QUEUED) {
                    return false;
                }
                events.append(c, row.id(), Ids.newId(), DeploymentStatus.DISPATCHED,
                        "scheduled_at " + row.scheduledAt() + " reached", EventRows.Source.CONTROL_PLANE, now);
                return true;
            });
            if (done) {
                dispatched++;
                log.info("deployment {} dispatched: scheduled_at {} reached (robot={}, parent={})", row.id(),
                        row.scheduledAt(), row.robotId(), row.parentId());
            }
        }
        return dispatched;
    }
}
