package dev.roboflare.agent.deploy;

import dev.roboflare.agent.executor.RejectedArtifactException;
import dev.roboflare.agent.executor.WholeImage;
import dev.roboflare.agent.log.Log;
import dev.roboflare.agent.state.InFlight;
import java.io.IOException;

/**
 * write: the verified OS image goes into the inactive slot (checked first: robot type, hash, signature, size; a
 * refused image writes nothing). Nothing that runs is touched, so an interrupted write starts over.
 */
final class WriteStep implements Step {
    @Override
    public StepResult run(DeployContext ctx, InFlight f) throws IOException {
        WholeImage image = (WholeImage) ctx.executors.of(f.deployment());
        String sha = f.deployment().sha256();
        try {
            String written = image.write(f.deployment(), ctx.downloader.partFile(sha));
            DeployContext.line(Log.Priority.INFO, f, Phase.WRITE).kv("outcome", "ok").msg(written).emit();
        } catch (RejectedArtifactException e) {
            ctx.downloader.discard(sha);
            return StepResult.failed(f, e.getMessage());
        } catch (IOException e) {
            return StepResult.failed(f, "could not write the OS image into the inactive slot: " + e.getMessage()
                    + "; the running OS was not changed");
        }
        ctx.downloader.discard(sha);
        return StepResult.ok(f.withPrior(ctx.state().current(), ctx.state().previous()));
    }
}
