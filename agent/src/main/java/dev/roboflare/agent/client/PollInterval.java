package dev.roboflare.agent.client;

import dev.roboflare.agent.log.Log;
import dev.roboflare.protocol.AgentApi;
import java.time.Duration;

/**
 * How long to wait before the next poll: the control plane's {@code poll_interval_seconds} when it sends one
 * ({@code serve --agent-poll-interval}), kept within 1 s..1 h so a bad hint can neither hammer the server nor
 * silence the robot, else the configured interval; always ±10% jitter so a fleet that restarted together spreads
 * out. Logs once each time the interval in force changes.
 */
public final class PollInterval {
    static final long FLOOR_MS = 1_000L;
    static final long CEILING_MS = 3_600_000L;
    static final double JITTER = 0.1;

    private final Duration configured;
    private long inForceMs;

    public PollInterval(Duration configured) {
        this.configured = configured;
        this.inForceMs = configured.toMillis();
    }

    public Duration next(AgentApi.Poll poll) {
        Integer hint = poll.pollIntervalSeconds();
        boolean hinted = hint != null && hint > 0;
        long ms = hinted ? Math.max(FLOOR_MS, Math.min(CEILING_MS, hint * 1000L)) : configured.toMillis();
        if (ms != inForceMs) {
            inForceMs = ms;
            Log.info().kv("step", "poll").kv("outcome", "interval").kv("poll_interval_ms", ms)
                    .kv("source", hinted ? "control plane" : "config")
                    .msg("poll interval is now " + ms / 1000.0 + " s").emit();
        }
        return Duration.ofMillis(Backoff.jitter(ms, JITTER));
    }

    /** The interval in force before jitter (the last one {@link #next} used). */
    Duration inForce() {
        return Duration.ofMillis(inForceMs);
    }
}
