package dev.roboflare.agent.state;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything the agent must remember across a restart or a power cut (STATE/state.json). Immutable: every
 * change makes a new value, which {@link StateStore#save} writes atomically.
 *
 * @param version  the format ({@link #VERSION}); older ones are migrated on load ({@link StateMigration})
 * @param current  the release STATE/current points at
 * @param previous the release before it (what a rollback goes back to)
 * @param app      the running app (PID and start time, or the systemd unit)
 * @param inFlight the deployment being applied, with its phase; null when idle
 * @param finished the last deployment ids this agent finished (oldest first), never applied twice
 * @param rebuilt  state.json was lost and rebuilt from the disk: the deployment that was in flight is judged
 *                 from its traces at the next poll ({@link StateRecovery#tracePhase})
 */
public record AgentState(int version, ReleaseRecord current, ReleaseRecord previous, AppRecord app,
                         InFlight inFlight, List<String> finished, boolean rebuilt) {

    public static final int VERSION = 3;
    public static final int FINISHED_KEPT = 100;

    public static AgentState empty() {
        return new AgentState(VERSION, null, null, null, null, List.of(), false);
    }

    public boolean isFinished(String deploymentId) {
        return finished != null && finished.contains(deploymentId);
    }

    public AgentState withReleases(ReleaseRecord cur, ReleaseRecord prev) {
        return new AgentState(version, cur, prev, app, inFlight, finished, rebuilt);
    }

    public AgentState withApp(AppRecord a) {
        return new AgentState(version, current, previous, a, inFlight, finished, rebuilt);
    }

    public AgentState withInFlight(InFlight f) {
        return new AgentState(version, current, previous, app, f, finished, rebuilt);
    }

    /** The lost deployment was judged (or there was none): an ordinary state again. */
    public AgentState judged() {
        return new AgentState(version, current, previous, app, inFlight, finished, false);
    }

    /** Clears the in-flight deployment and remembers its id (keeping the last {@link #FINISHED_KEPT}). */
    public AgentState finish(String deploymentId) {
        List<String> ids = new ArrayList<>(finished == null ? List.of() : finished);
        ids.remove(deploymentId);
        ids.add(deploymentId);
        while (ids.size() > FINISHED_KEPT) {
            ids.remove(0);
        }
        return new AgentState(version, current, previous, app, null, List.copyOf(ids), rebuilt);
    }
}
