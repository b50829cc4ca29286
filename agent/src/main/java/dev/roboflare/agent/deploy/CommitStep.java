package dev.roboflare.agent.deploy;

import dev.roboflare.agent.executor.Executor;
import dev.roboflare.agent.executor.RejectedArtifactException;
import dev.roboflare.agent.log.Log;
import dev.roboflare.agent.state.AppRecord;
import dev.roboflare.agent.state.InFlight;
import dev.roboflare.protocol.DeploymentStatus;
import java.io.IOException;

/**
 * commit: the app survived the watch, so the kind's executor makes the change permanent (a module's
 * ArtifactCommit) and every executor drops what only releases older than the previous one used. Decides applied;
 * a refused commit rolls back.
 */
final class CommitStep implements Step {
    @Override
    public StepResult run(DeployContext ctx, InFlight f) throws IOException {
        Executor executor = ctx.executors.of(f.deployment());
        try {
            executor.commit(f.deployment());
        } catch (RejectedArtifactException e) {
            DeployContext.line(Log.Priority.WARNING, f, Phase.COMMIT).kv("outcome", "refused")
                    .msg(e.getMessage().lines().findFirst().orElse("")).emit();
            return StepResult.appExited(f, e.getMessage());
        }
        for (Executor e : ctx.executors.all()) {
            e.prune(ctx.state().current(), ctx.state().previous());
        }
        AppRecord app = ctx.state().app();
        String window = WatchStep.seconds(ctx.watchWindow.toMillis());
        String detail = app == null ? "release " + f.semver() + " installed; there is no app to watch"
                : executor.replacesApp() ? "release " + f.semver() + " running as pid " + app.pid()
                        + " (survived the " + window + " watch window)"
                : "release " + f.semver() + " installed; the app (release " + app.releaseSemver() + ") running as pid "
                        + app.pid() + " survived the " + window + " watch window";
        DeployContext.line(Log.Priority.INFO, f, Phase.COMMIT).kv("outcome", "ok").emit();
        return StepResult.decided(f, DeploymentStatus.APPLIED, detail);
    }
}
