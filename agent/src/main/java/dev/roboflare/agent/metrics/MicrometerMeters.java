package dev.roboflare.agent.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The Micrometer side of {@link AgentMetrics}, made only for the metrics endpoint: its counters start from what
 * the plain counters hold at that moment and are incremented with them from then on.
 */
final class MicrometerMeters {
    final MeterRegistry registry = new SimpleMeterRegistry();
    private final Counter downloadBytes;
    private final Counter pollErrors;

    MicrometerMeters(AgentMetrics counts) {
        downloadBytes = Counter.builder("roboflare.agent.download").baseUnit("bytes")
                .description("artifact bytes received (resumed downloads count only the new bytes)").register(registry);
        downloadBytes.increment(counts.downloadBytes());
        pollErrors = Counter.builder("roboflare.agent.poll.errors")
                .description("polls that did not get an answer (unreachable, HTTP error, unreadable)").register(registry);
        pollErrors.increment(counts.pollErrors());
        for (String outcome : AgentMetrics.OUTCOMES) {
            deployments(outcome);
        }
        for (Map.Entry<String, LongAdder> e : counts.deploymentCounts().entrySet()) {
            deployments(e.getKey()).increment(e.getValue().sum());
        }
        Gauge.builder("roboflare.agent.outbox.depth", counts::outboxDepthNow)
                .description("events on disk not yet acknowledged by the control plane").register(registry);
    }

    void deploymentEnded(String outcome) {
        deployments(outcome).increment();
    }

    void downloaded(long bytes) {
        downloadBytes.increment(bytes);
    }

    void pollError() {
        pollErrors.increment();
    }

    void phase(String phase, long nanos) {
        Timer.builder("roboflare.agent.phase.duration").tag("phase", phase)
                .description("duration of one run of a deployment phase").register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    private Counter deployments(String outcome) {
        return Counter.builder("roboflare.agent.deployments").tag("outcome", outcome)
                .description("deployments this agent process finished, by final event").register(registry);
    }
}
