package dev.roboflare.agent.deploy;

import dev.roboflare.agent.executor.RejectedArtifactException;
import dev.roboflare.agent.log.Log;
import dev.roboflare.agent.state.InFlight;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * extract: install the verified artifact as STATE/releases/&lt;release id&gt;/ (an interrupted extract starts over).
 * It also records which release is current now, so switch and rollback know where to go back to.
 */
final class ExtractStep implements Step {
    @Override
    public StepResult run(DeployContext ctx, InFlight f) {
        dev.roboflare.agent.client.LiveProgress.current().phase(f.id(), "installing", null, null);
        String sha = f.deployment().artifact().sha256();
        Path part = ctx.downloader.partFile(sha);
        Path dir;
        try {
            boolean reused = Files.isDirectory(ctx.executor.releaseDir(f.deployment().release().id()));
            dir = ctx.executor.install(f.deployment(), part);
            ctx.downloader.discard(sha);
            DeployContext.line(Log.Priority.INFO, f, Phase.EXTRACT).kv("outcome", "ok").kv("dir", dir)
                    .kv("reused", reused ? "true" : null).emit();
        } catch (RejectedArtifactException e) {
            discardQuietly(ctx, sha);
            return StepResult.failed(f, e.getMessage());
        } catch (IOException e) {
            discardQuietly(ctx, sha);
            return StepResult.failed(f, "could not extract the tarball: " + e.getMessage());
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
