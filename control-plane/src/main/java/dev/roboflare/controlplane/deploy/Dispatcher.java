package dev.roboflare.controlplane.deploy;

import dev.roboflare.controlplane.Ids;
import dev.roboflare.controlplane.storage.DeploymentRows;
import dev.roboflare.controlplane.storage.DeploymentRows.DeploymentRow;
import dev.roboflare.controlplane.storage.EventRows;
import dev.roboflare.controlplane.storage.Transactor;
import dev.roboflare.protocol.DeploymentStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
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

    /**
     * Returns how many deployments were dispatched. Due rows are taken in chunks, each in one transaction that
     * locks them with FOR UPDATE SKIP LOCKED (PostgreSQL) and re-reads their status under the lock: with several
     * instances on one database, each row is dispatched by exactly one of them.
     */
    public int dispatchDue() {
        Instant now = clock.instant();
        List<DeploymentRow> due = db.read(c -> deployments.dueQueued(c, now));
        int dispatched = 0;
        for (int from = 0; from < due.size(); from += CHUNK) {
            List<DeploymentRow> chunk = due.subList(from, Math.min(due.size(), from + CHUNK));
            List<String> ids = new ArrayList<>();
            chunk.forEach(r -> ids.add(r.id()));
            List<DeploymentRows.Active> mine = db.inTransaction(c -> {
                List<DeploymentRows.Active> queued = new ArrayList<>();
                for (DeploymentRows.Active a : deployments.activeAmong(c, deployments.lock(c, db.dialect(), ids, true))) {
                    if (a.status() == DeploymentStatus.QUEUED) {
                        queued.add(a);
                    }
                }
                List<EventRows.NewEvent> rows = new ArrayList<>();
                for (DeploymentRows.Active a : queued) {
                    rows.add(new EventRows.NewEvent(a.id(), a.seq() + 1, Ids.newId(), DeploymentStatus.DISPATCHED,
                            "scheduled_at reached"));
                }
                events.appendBatch(c, rows, EventRows.Source.CONTROL_PLANE, now);
                return queued;
            });
            dispatched += mine.size();
            for (DeploymentRows.Active a : mine) {
                log.info("deployment {} dispatched: scheduled_at reached (robot={})", a.id(), a.robotId());
            }
        }
        return dispatched;
    }

    private static final int CHUNK = 500;
}
