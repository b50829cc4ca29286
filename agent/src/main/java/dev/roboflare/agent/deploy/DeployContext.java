package dev.roboflare.agent.deploy;

import dev.roboflare.agent.delta.DeltaDownloads;
import dev.roboflare.agent.download.ArtifactDownloader;
import dev.roboflare.agent.executor.ExecutorRegistry;
import dev.roboflare.agent.gate.UpdateGate;
import dev.roboflare.agent.launcher.AppLauncher;
import dev.roboflare.agent.log.Log;
import dev.roboflare.agent.outbox.Outbox;
import dev.roboflare.agent.preflight.DiskPreflight;
import dev.roboflare.agent.state.AgentState;
import dev.roboflare.agent.state.InFlight;
import dev.roboflare.agent.state.StateStore;
import dev.roboflare.agent.trust.ReleaseTrust;
import java.io.IOException;
import java.time.Duration;

/** What the phases work with: the persisted state and the robot-side tools. Single-threaded. */
public final class DeployContext {
    final StateStore store;
    final ExecutorRegistry executors;
    final AppLauncher launcher;
    final ArtifactDownloader downloader;
    final Outbox outbox;
    final SelfUpdateGuard selfUpdateGuard;
    final Duration watchWindow;
    final DiskPreflight preflight;
    final ReleaseTrust trust;
    final DeltaDownloads delta;
    final UpdateGate gate;
    private AgentState state;

    /**
     * @param preflight the free-space check before a download ({@link DiskPreflight#NONE}: none)
     * @param trust     signature, expiry and version-floor checks at check ({@link ReleaseTrust#NONE}: none)
     * @param delta     delta downloads through the chunk cache ({@link DeltaDownloads#off()}: every artifact whole)
     * @param gate      the robot's say before the switch ({@link UpdateGate#NONE}: never busy)
     */
    public DeployContext(StateStore store, AgentState state, ExecutorRegistry executors, AppLauncher launcher,
                         ArtifactDownloader downloader, Outbox outbox, SelfUpdateGuard selfUpdateGuard,
                         Duration watchWindow, DiskPreflight preflight, ReleaseTrust trust, DeltaDownloads delta,
                         UpdateGate gate) {
        this.store = store;
        this.state = state;
        this.executors = executors;
        this.launcher = launcher;
        this.downloader = downloader;
        this.outbox = outbox;
        this.selfUpdateGuard = selfUpdateGuard;
        this.watchWindow = watchWindow;
        this.preflight = preflight;
        this.trust = trust;
        this.delta = delta;
        this.gate = gate;
    }

    /** Without delta downloads: every artifact is downloaded whole. */
    public DeployContext(StateStore store, AgentState state, ExecutorRegistry executors, AppLauncher launcher,
                         ArtifactDownloader downloader, Outbox outbox, SelfUpdateGuard selfUpdateGuard,
                         Duration watchWindow, DiskPreflight preflight, ReleaseTrust trust) {
        this(store, state, executors, launcher, downloader, outbox, selfUpdateGuard, watchWindow, preflight, trust,
                DeltaDownloads.off(), UpdateGate.NONE);
    }

    /** Without a disk preflight, release trust or delta downloads (tests that do not care). */
    public DeployContext(StateStore store, AgentState state, ExecutorRegistry executors, AppLauncher launcher,
                         ArtifactDownloader downloader, Outbox outbox, SelfUpdateGuard selfUpdateGuard,
                         Duration watchWindow) {
        this(store, state, executors, launcher, downloader, outbox, selfUpdateGuard, watchWindow, DiskPreflight.NONE,
                ReleaseTrust.NONE);
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
