package dev.roboflare.controlplane.scheduler;

import dev.roboflare.controlplane.deploy.Dispatcher;
import dev.roboflare.controlplane.idempotency.IdempotentRequests;
import dev.roboflare.controlplane.metrics.ControlPlaneMetrics;
import io.micrometer.core.instrument.Metrics;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Every --scheduler-interval, dispatches scheduled deployments that are due. One thread, one tick at a time. */
public final class DispatchScheduler implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DispatchScheduler.class);

    private final Dispatcher dispatcher;
    private final IdempotentRequests idempotency;
    private final Duration interval;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "dispatch-scheduler");
        t.setDaemon(true);
        return t;
    });

    public DispatchScheduler(Dispatcher dispatcher, IdempotentRequests idempotency, Duration interval) {
        this.dispatcher = dispatcher;
        this.idempotency = idempotency;
        this.interval = interval;
    }

    public void start() {
        long millis = Math.max(1, interval.toMillis());
        executor.scheduleWithFixedDelay(this::tick, millis, millis, TimeUnit.MILLISECONDS);
        log.info("dispatch scheduler checks for due deployments every {}", interval);
    }

    private void tick() {
        try {
            Metrics.counter(ControlPlaneMetrics.SCHEDULER_TICKS).increment();
            Metrics.counter(ControlPlaneMetrics.SCHEDULER_DISPATCHED).increment(dispatcher.dispatchDue());
            int purged = idempotency.purgeExpired();
            if (purged > 0) {
                log.info("{} expired Idempotency-Key record(s) deleted (older than {})", purged, idempotency.ttl());
            }
        } catch (RuntimeException e) {
            // A failed tick must not cancel the schedule; the next tick retries.
            log.error("dispatch tick failed; retrying in {}", interval, e);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
