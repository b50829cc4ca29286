package dev.roboflare.agent.client;

import dev.roboflare.protocol.AgentApi;

/**
 * What the agent is doing with the deployment in flight, for the control plane's status page and
 * {@code roboflare status --watch}: the phases set it (downloading with bytes, installing, watching with seconds)
 * and every poll carries it in the {@link AgentApi#PROGRESS_HEADER} header. While a phase runs the main loop does
 * not poll, so {@link ControlPlaneClient#reportProgressEvery} sends it on its own, only when it changed. Presence,
 * not history: nothing here is persisted, and it is never an event.
 */
public final class LiveProgress {
    private static final LiveProgress CURRENT = new LiveProgress();

    private volatile AgentApi.Progress value;
    private volatile long version;

    public static LiveProgress current() {
        return CURRENT;
    }

    /** A phase of a deployment begins; {@code done}/{@code total} null for a phase without a measure. */
    public void phase(String deploymentId, String phase, Long done, Long total) {
        set(new AgentApi.Progress(deploymentId, phase, done, total));
    }

    /**
     * The update gate holds the deployment back: {@code gated}, with why and since when (the
     * {@link AgentApi#WAITING_HEADER} header). Asked again at every poll; only a change is a new report.
     */
    public void gated(String deploymentId, String reason, java.time.Instant since) {
        AgentApi.Progress next = new AgentApi.Progress(deploymentId, GATED, null, null)
                .withWaiting(new AgentApi.Waiting(reason, since));
        if (!next.equals(value)) {
            set(next);
        }
    }

    /** The phase word while the update gate waits. */
    public static final String GATED = "gated";

    /** The measure of the current phase moved (bytes downloaded so far). */
    public void done(long done) {
        AgentApi.Progress p = value;
        if (p != null && p.total() != null && (p.done() == null || p.done() != done)) {
            set(new AgentApi.Progress(p.deploymentId(), p.phase(), done, p.total()));
        }
    }

    /** No deployment in flight. */
    public void clear() {
        if (value != null) {
            set(null);
        }
    }

    AgentApi.Progress value() {
        return value;
    }

    long version() {
        return version;
    }

    private synchronized void set(AgentApi.Progress p) {
        value = p;
        version++;
    }
}
