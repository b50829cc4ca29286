package dev.roboflare.agent.executor;

import dev.roboflare.agent.launcher.AppRecord;
import dev.roboflare.agent.state.ReleaseRecord;
import dev.roboflare.protocol.AgentApi;
import dev.roboflare.protocol.ArtifactKind;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Turns a verified artifact into an installed release and makes it the current one. The symlink executor
 * handles app tarballs; a Docker executor for container images comes in its own issue.
 */
public interface Executor {
    /** Null when this executor can apply {@code kind}; otherwise the reason for the failed event. */
    String refusal(ArtifactKind kind);

    /** Where release {@code releaseId} is (or would be) installed. */
    Path releaseDir(String releaseId);

    /** Installs the artifact as release {@code releaseId} (idempotent: an installed release is reused). */
    Path install(String releaseId, Path artifact) throws RejectedArtifactException, IOException;

    /** Atomically makes {@code releaseDir} the current release (or removes {@code current} when null). */
    void activate(Path releaseDir) throws IOException;

    /** Installs the deployment's verified artifact (an executor that needs the kind or manifest overrides this). */
    default Path install(AgentApi.Deployment d, Path artifact) throws RejectedArtifactException, IOException {
        return install(d.release().id(), artifact);
    }

    /**
     * Null when the switch to {@code releaseDir} can go ahead; otherwise why not (the container engine does not
     * answer), checked before the running app is stopped so that a refused switch leaves it running.
     */
    default String unavailable(Path releaseDir, AppRecord running) {
        return null;
    }

    /** After an applied deployment: drop what only releases older than {@code previous} used. Best effort. */
    default void prune(ReleaseRecord current, ReleaseRecord previous) {
    }
}
