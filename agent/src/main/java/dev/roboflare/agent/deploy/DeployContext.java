package dev.roboflare.agent.deploy;

import dev.roboflare.agent.delta.DeltaDownloads;
import dev.roboflare.agent.download.ArtifactDownloader;
import dev.roboflare.agent.executor.Executor;
import dev.roboflare.agent.launcher.AppLauncher;
import dev.roboflare.agent.log.Log;
import dev.roboflare.agent.outbox.Outbox;
import dev.roboflare.agent.preflight.DiskPreflight;
import dev.roboflare.agent.state.AgentState;
import dev.roboflare.agent.state.InFlight;
import dev.roboflare.agent.state.StateStore;
import java.io.IOException;
import java.time.Duration;

/** What the phases work with: the persisted state and the robot-side tools. Single-threaded. */
public final class DeployContext {
    final StateStore store;
    final Executor executor;
    final AppLauncher launcher;
    final ArtifactDownloader downloader;
    final Outbox outbox;
    final SelfUpdateGuard selfUpdateGuard;
    final Duration watchWindow;
    private AgentState state;
    private DiskPreflight preflight;
    private dev.roboflare.agent.trust.ReleaseTrust trust;
    private DeltaDownloads delta = DeltaDownloads.off();

    public DeployContext(StateStore store, AgentState state, Executor executor, AppLauncher launcher,
                         ArtifactDownloader downloader, Outbox outbox, SelfUpdateGuard selfUpdateGuard,
                         Duration watchWindow) {
        this.store = store;
        this.state = state;
        this.executor = executor;
        this.launcher = launcher;
        this.downloader = downloader;
        this.outbox = outbox;
        this.selfUpdateGuard = selfUpdateGuard;
        this.watchWindow = watchWindow;
    }

    /** The free-space check before a download (null: none, as in tests that do not care). */
    public void usePreflight(DiskPreflight check) {
        this.preflight = check;
    }

    /** Signature, expiry and version-floor checks in the check step (null: none configured). */
    public void useTrust(dev.roboflare.agent.trust.ReleaseTrust releaseTrust) {
        this.trust = releaseTrust;
    }

    /** Delta downloads through the chunk cache (default: off, every artifact downloaded whole). */
    public void useDelta(DeltaDownloads deltaDownloads) {
        this.delta = deltaDownloads;
    }

    DeltaDownloads delta() {
        return delta;
    }

    dev.roboflare.agent.trust.ReleaseTrust trust() {
        return trust;
    }

    DiskPreflight preflight() {
        return preflight;
    }

    public AgentState state() {
        return state;
    }

    /** Persists (atomic write + fsync) and then adopts the new state. */
    public void save(AgentState next) throws IOException {
        store.save(next);
        state = next;
    }

    /**
     * Adopts a state that could not be written (the disk is full) because it records something already true on
     * the robot, such as a started app. Any later successful {@link #save} writes it down with the rest.
     */
    public void keepUnsaved(AgentState next) {
        state = next;
    }

    /** The state directory (where state.json lives). */
    public java.nio.file.Path stateDir() {
        return store.file().toAbsolutePath().getParent();
    }

    public AppLauncher launcher() {
        return launcher;
    }

    public Outbox outbox() {
        return outbox;
    }

    /** A log line already carrying the deployment id, the release semver and the phase word. */
    static Log line(Log.Priority p, InFlight f, Phase phase) {
        return Log.at(p).kv("deployment", f.id()).kv("release", f.semver()).kv("step", phase.word());
    }
}
