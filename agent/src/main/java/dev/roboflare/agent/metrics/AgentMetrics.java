package dev.roboflare.agent.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * What the agent counts (Micrometer): deployments by outcome, download bytes, the duration of every phase
 * (download, extract, switch, watch, rollback...), poll errors, and the outbox depth. Exposed in Prometheus text by
 * {@link MetricsEndpoint} (off by default) and summarised in one header on every poll ({@link #summary()}).
 */
public final class AgentMetrics {
    /** The poll request header carrying {@link #summary()} (a header: the poll is a GET without a body). */
    public static final String HEADER = "Roboflare-Agent-Metrics";
    private static volatile AgentMetrics current = new AgentMetrics();

    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final Counter downloadBytes;
    private final Counter pollErrors;

    public AgentMetrics() {
        downloadBytes = Counter.builder("roboflare.agent.download").baseUnit("bytes")
                .description("artifact bytes received (resumed downloads count only the new bytes)").register(registry);
        pollErrors = Counter.builder("roboflare.agent.poll.errors")
                .description("polls that did not get an answer (unreachable, HTTP error, unreadable)").register(registry);
        for (String outcome : new String[] {"applied", "failed", "rolled_back"}) {
            deployments(outcome);
        }
    }

    public static AgentMetrics current() {
        return current;
    }

    public static void install(AgentMetrics metrics) {
        current = metrics;
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** The outbox depth, read when the metrics are scraped or summarised. */
    public void outboxDepth(Supplier<Number> depth) {
        Gauge.builder("roboflare.agent.outbox.depth", () -> {
            try {
                return depth.get();
            } catch (RuntimeException e) {
                return Double.NaN;
            }
        }).description("events on disk not yet acknowledged by the control plane").register(registry);
    }

    public void deploymentEnded(String outcome) {
        deployments(outcome).increment();
    }

    public void downloaded(long bytes) {
        if (bytes > 0) {
            downloadBytes.increment(bytes);
        }
    }

    public void pollError() {
        pollErrors.increment();
    }

    /** How long one run of a phase took (a monotonic measurement, in nanoseconds). */
    public void phase(String phase, long nanos) {
        Timer.builder("roboflare.agent.phase.duration").tag("phase", phase)
                .description("duration of one run of a deployment phase").register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    private Counter deployments(String outcome) {
        return Counter.builder("roboflare.agent.deployments").tag("outcome", outcome)
                .description("deployments this agent process finished, by final event").register(registry);
    }

    /**
     * One compact line for the control plane (the {@code Roboflare-Agent-Metrics} header of each poll):
     * {@code applied=3 failed=0 rolled_back=1 poll_errors=2 outbox=0 download_bytes=1048576}.
     */
    public String summary() {
        StringBuilder b = new StringBuilder();
        for (String outcome : new String[] {"applied", "failed", "rolled_back"}) {
            b.append(outcome).append('=').append((long) deployments(outcome).count()).append(' ');
        }
        b.append("poll_errors=").append((long) pollErrors.count());
        Gauge depth = registry.find("roboflare.agent.outbox.depth").gauge();
        if (depth != null && !Double.isNaN(depth.value())) {
            b.append(" outbox=").append((long) depth.value());
        }
        b.append(" download_bytes=").append((long) downloadBytes.count());
        return b.toString().toLowerCase(Locale.ROOT);
    }
}
