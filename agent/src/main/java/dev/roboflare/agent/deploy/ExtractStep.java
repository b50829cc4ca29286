package dev.roboflare.agent.deploy;

import dev.roboflare.agent.client.LiveProgress;
import dev.roboflare.agent.executor.Executor;
import dev.roboflare.agent.executor.RejectedArtifactException;
import dev.roboflare.agent.log.Log;
import dev.roboflare.agent.state.InFlight;
import dev.roboflare.agent.state.StateRecovery;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * extract: the kind's executor installs the verified artifact (a release directory, a loaded image, a module's
 * work directory) without touching what runs; an interrupted extract starts over. It also records which release
 * is current now, so switch and rollback know where to go back to.
 */
final class ExtractStep implements Step {
    @Override
    public StepResult run(DeployContext ctx, InFlight f) {
        LiveProgress.current().phase(f.id(), "installing", null, null);
        String sha = f.deployment().sha256();
        Path part = ctx.downloader.partFile(sha);
        Executor executor = ctx.executors.of(f.deployment());
        try {
            boolean reused = Files.isDirectory(executor.releaseDir(f.deployment().releaseId()));
            Path dir = executor.install(f.deployment(), part);
            if (executor.replacesApp()) {
                StateRecovery.writeReleaseFile(dir, SwitchStep.newRelease(executor, f.deployment()));
            }
            ctx.downloader.discard(sha);
            DeployContext.line(Log.Priority.INFO, f, Phase.EXTRACT).kv("outcome", "ok").kv("dir", dir)
                    .kv("reused", reused ? "true" : null).emit();
        } catch (RejectedArtifactException e) {
            discardQuietly(ctx, sha);
            return StepResult.failed(f, e.getMessage());
        } catch (IOException e) {
            discardQuietly(ctx, sha);
            return StepResult.failed(f, "could not extract the " + f.deployment().kind() + " artifact: "
                    + e.getMessage());
        }
        return StepResult.ok(f.withPrior(ctx.state().current(), ctx.state().previous()));
    }

    private static void discardQuietly(DeployContext ctx, String sha) {
        try {
            ctx.downloader.discard(sha);
        } catch (IOException ignored) {
            // best effort
        }
    }
}
