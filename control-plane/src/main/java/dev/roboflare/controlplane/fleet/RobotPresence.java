package dev.roboflare.controlplane.fleet;

import dev.roboflare.controlplane.storage.RobotRows;
import dev.roboflare.controlplane.storage.Transactor;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A robot's presence (last_seen_at, and the clock skew and metrics summary of its latest poll), written in batches.
 * Presence is state, not history, and one write transaction per poll capped a fleet's polls at the database's
 * commit rate (about 1,500/s on SQLite, scripts/bench). Values are written at most {@link #FLUSH_EVERY_MILLIS} ms
 * after they arrive, in one transaction of two JDBC batches, on a writer thread the request that finds the batch due
 * hands it to (no poll waits for it; the thread ends when idle), and before any read that shows them, so the API
 * never shows a stale value. A crash loses the presence not written yet (the last second of a busy fleet, the
 * last poll of a quiet one: a batch is due only when a request comes); events are never batched.
 */
final class RobotPresence {
    static final long FLUSH_EVERY_MILLIS = 1_000;
    private static final Logger log = LoggerFactory.getLogger(RobotPresence.class);

    /** What is not written yet for one robot; a null skew or summary keeps the stored one (as RobotRows does). */
    private record Pending(Instant seenAt, Long clockSkewMs, String metrics, Instant reportedAt, String progress,
                           Instant progressAt, String waiting) {
        Pending merge(Pending newer) {
            boolean report = newer.reportedAt != null;
            boolean progressed = newer.progressAt != null;
            return new Pending(newer.seenAt != null ? newer.seenAt : seenAt,
                    report && newer.clockSkewMs != null ? newer.clockSkewMs : clockSkewMs,
                    report && newer.metrics != null ? newer.metrics : metrics,
                    report ? newer.reportedAt : reportedAt,
                    progressed ? newer.progress : progress, progressed ? newer.progressAt : progressAt,
                    progressed ? newer.waiting : waiting);
        }
    }

    private final Transactor db;
    private final Clock clock;
    private final RobotRows robots = new RobotRows();
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final ReentrantLock flushing = new ReentrantLock();
    private volatile long lastFlush = System.nanoTime();
    private final ThreadPoolExecutor writer = new ThreadPoolExecutor(1, 1, 10, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(1), r -> {
                Thread t = new Thread(r, "robot-presence");
                t.setDaemon(true);
                return t;
            }, new ThreadPoolExecutor.DiscardPolicy()); // a batch already queued will take the new values too

    {
        writer.allowCoreThreadTimeOut(true);
    }

    RobotPresence(Transactor db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    void seen(String robotId) {
        pending.merge(robotId, new Pending(clock.instant(), null, null, null, null, null, null), Pending::merge);
        flushIfDue();
    }

    void reported(String robotId, Long clockSkewMs, String metrics) {
        pending.merge(robotId, new Pending(null, clockSkewMs, metrics, clock.instant(), null, null, null), Pending::merge);
        flushIfDue();
    }

    /**
     * The agent's live progress (the header value as it came, already checked to be readable) and what its update
     * gate waits for (null: nothing, which clears the stored one).
     */
    void progressed(String robotId, String progress, String waiting) {
        pending.merge(robotId, new Pending(null, null, null, null, progress, clock.instant(), waiting),
                Pending::merge);
        flushIfDue();
    }

    /** Writes everything pending now (before a read shows presence). */
    void flush() {
        flushing.lock();
        try {
            write();
        } finally {
            flushing.unlock();
        }
    }

    private void flushIfDue() {
        if (System.nanoTime() - lastFlush >= FLUSH_EVERY_MILLIS * 1_000_000L) {
            lastFlush = System.nanoTime();
            writer.execute(this::flush);
        }
    }

    private void write() {
        lastFlush = System.nanoTime();
        if (pending.isEmpty()) {
            return;
        }
        List<Map.Entry<String, Pending>> batch = new ArrayList<>();
        List<RobotRows.Presence> rows = new ArrayList<>();
        // In robot id order: replicas flushing at the same time then lock the robots' rows in one order and wait
        // for each other instead of deadlocking (seen with 3 instances on PostgreSQL).
        for (String id : pending.keySet().stream().sorted().toList()) {
            Pending p = pending.remove(id);
            if (p != null) {
                batch.add(Map.entry(id, p));
                rows.add(new RobotRows.Presence(id, p.seenAt(), p.clockSkewMs(), p.metrics(), p.reportedAt(),
                        p.progress(), p.progressAt(), p.waiting()));
            }
        }
        try {
            db.inTransaction(c -> {
                robots.markPresence(c, rows);
                return null;
            });
        } catch (RuntimeException e) {
            // presence never fails a poll or a read: keep the values for the next batch (newer ones win)
            for (Map.Entry<String, Pending> p : batch) {
                pending.merge(p.getKey(), p.getValue(), (newer, older) -> older.merge(newer));
            }
            log.warn("could not write the presence of {} robots; retrying with the next batch: {}", batch.size(),
                    e.toString());
        }
    }
}
