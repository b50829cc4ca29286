package dev.roboflare.agent.executor;

import dev.roboflare.agent.state.AppRecord;
import dev.roboflare.agent.state.DeploymentRecord;
import dev.roboflare.agent.state.ReleaseRecord;
import dev.roboflare.protocol.ArtifactKind;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Everything that depends on the kind of an artifact, one implementation per kind (executor/tarball,
 * executor/container, executor/module). The deploy phases ask the {@link ExecutorRegistry} for the deployment's
 * handler and call these in order; they never name a kind. A new kind is a new package and one registry line.
 *
 * <pre>
 *   check    refusal          download installWhileDownloading
 *   extract  install          switch   unavailable, apply
 *   rollback undo             commit   commit, prune     cleanup  cleanup
 * </pre>
 */
public interface Executor {
    /** The artifact kind this handler applies. */
    ArtifactKind kind();

    /** check: null when this handler can apply the deployment (manifest, engine, module); else the reason. */
    String refusal(DeploymentRecord d);

    /** Where release {@code releaseId} is (or would be) installed; what a {@link ReleaseRecord} points at. */
    Path releaseDir(String releaseId);

    /** extract: makes the verified artifact ready to apply, touching nothing that runs (idempotent). */
    Path install(DeploymentRecord d, Path artifact) throws RejectedArtifactException, IOException;

    /**
     * download: an install fed with the artifact's bytes while they download (staged for {@link #install}, which
     * uses it only for the same verified artifact), or null when this handler installs only from the downloaded
     * file or the release is installed already.
     */
    default InstallWhileDownloading installWhileDownloading(DeploymentRecord d) throws IOException {
        return null;
    }

    /**
     * True when the release is the app itself (it becomes {@code current} and the switch starts it); false when it
     * changes what the app talks to (firmware): {@code current} stays and the switch restarts the current app.
     */
    boolean replacesApp();

    /**
     * switch, before the running app is stopped: null, or why the switch cannot go ahead now (the container engine
     * does not answer), so that a refused switch leaves the app running.
     */
    default String unavailable(DeploymentRecord d, AppRecord running) {
        return null;
    }

    /**
     * switch, with the app stopped: the step that changes the robot (swap {@code current}; a module's
     * ArtifactInstall). Called again when the agent died during the switch: it either repeats safely or rejects
     * (a module whose ArtifactInstall was interrupted). A rejection leads to rollback.
     */
    void apply(DeploymentRecord d) throws RejectedArtifactException, IOException;

    /**
     * rollback, with the new app stopped: undoes {@link #apply}, going back to {@code target} (for a kind that
     * replaces the app: the release to make current again, null for none). Null when undone, else why not.
     */
    String undo(DeploymentRecord d, ReleaseRecord target) throws IOException;

    /** commit, after the watch: make the change permanent. A rejection leads to rollback. */
    default void commit(DeploymentRecord d) throws RejectedArtifactException, IOException {
    }

    /** cleanup, on every path before the report: drop what only this deployment used. Best effort. */
    default void cleanup(DeploymentRecord d) {
    }

    /** After an applied deployment: drop what only releases older than {@code previous} used. Best effort. */
    default void prune(ReleaseRecord current, ReleaseRecord previous) {
    }
}
