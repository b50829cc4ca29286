package dev.roboflare.agent.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * What the agent counts: deployments by outcome, download bytes, the duration of every phase (download, extract,
 * switch, watch, rollback...), poll errors, and the outbox depth. Summarised in one header on every poll
 * ({@link #summary()}) from plain counters; the Micrometer meters that {@link MetricsEndpoint} (off by default)
 * serves in Prometheus text are made only when it asks for {@link #registry()}, so an agent without
 * {@code --metrics-port} never loads Micrometer (about 100 classes an idle agent would keep resident).
 */
public final class AgentMetrics {
    /** The poll request header carrying {@link #summary()} (a header: the poll is a GET without a body). */
    public static final String HEADER = "Roboflare-Agent-Metrics";
    static final String[] OUTCOMES = {"applied", "failed", "rolled_back"};
    private static volatile AgentMetrics current = new AgentMetrics();

    private final Map<String, LongAdder> deployments = new ConcurrentHashMap<>();
    private final LongAdder downloadBytes = new LongAdder();
    private final LongAdder pollErrors = new LongAdder();
    private volatile Supplier<Number> outboxDepth;
    private volatile MicrometerMeters meters;

    public AgentMetrics() {
        for (String outcome : OUTCOMES) {
            deployments(outcome);
        }
    }

    public static AgentMetrics current() {
        return current;
    }

    public static void install(AgentMetrics metrics) {
        current = metrics;
    }

    /** The Micrometer registry with every meter, made at the first call (the metrics endpoint's). */
    public synchronized MeterRegistry registry() {
        if (meters == null) {
            meters = new MicrometerMeters(this);
        }
        return meters.registry;
    }

    /** The outbox depth, read when the metrics are scraped or summarised. */
    public void outboxDepth(Supplier<Number> depth) {
        outboxDepth = depth;
    }

    public void deploymentEnded(String outcome) {
        deployments(outcome).increment();
        MicrometerMeters m = meters;
        if (m != null) {
            m.deploymentEnded(outcome);
        }
    }

    public void downloaded(long bytes) {
        if (bytes > 0) {
            downloadBytes.add(bytes);
            MicrometerMeters m = meters;
            if (m != null) {
                m.downloaded(bytes);
            }
        }
    }

    public void pollError() {
        pollErrors.increment();
        MicrometerMeters m = meters;
        if (m != null) {
            m.pollError();
        }
    }

    /** How long one run of a phase took (a monotonic measurement, in nanoseconds); kept for the endpoint only. */
    public void phase(String phase, long nanos) {
        MicrometerMeters m = meters;
        if (m != null) {
            m.phase(phase, nanos);
        }
    }

    Map<String, LongAdder> deploymentCounts() {
        return deployments;
    }

    long downloadBytes() {
        return downloadBytes.sum();
    }

    long pollErrors() {
        return pollErrors.sum();
    }

    /** The outbox depth now, NaN when unknown or unreadable. */
    double outboxDepthNow() {
        Supplier<Number> depth = outboxDepth;
        if (depth == null) {
            return Double.NaN;
        }
        try {
            Number n = depth.get();
            return n == null ? Double.NaN : n.doubleValue();
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }

    private LongAdder deployments(String outcome) {
        return deployments.computeIfAbsent(outcome, o -> new LongAdder());
    }

    /**
     * One compact line for the control plane (the {@code Roboflare-Agent-Metrics} header of each poll):
     * {@code applied=3 failed=0 rolled_back=1 poll_errors=2 outbox=0 download_bytes=1048576}.
     */
    public String summary() {
        StringBuilder b = new StringBuilder();
        for (String outcome : OUTCOMES) {
            b.append(outcome).append('=').append(deployments(outcome).sum()).append(' ');
        }
        b.append("poll_errors=").append(pollErrors.sum());
        double depth = outboxDepthNow();
        if (!Double.isNaN(depth)) {
            b.append(" outbox=").append((long) depth);
        }
        b.append(" download_bytes=").append(downloadBytes.sum());
        return b.toString().toLowerCase(Locale.ROOT);
    }
}
