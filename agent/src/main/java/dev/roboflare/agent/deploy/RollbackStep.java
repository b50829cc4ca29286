package dev.roboflare.agent.deploy;

import dev.roboflare.agent.executor.Executor;
import dev.roboflare.agent.launcher.LaunchException;
import dev.roboflare.agent.log.Log;
import dev.roboflare.agent.state.AgentState;
import dev.roboflare.agent.state.AppRecord;
import dev.roboflare.agent.state.InFlight;
import dev.roboflare.agent.state.ReleaseRecord;
import dev.roboflare.protocol.DeploymentStatus;
import java.io.IOException;

/**
 * rollback: stop the new app, let the kind's executor undo the switch (STATE/current back at the release that ran
 * before; a module's ArtifactRollback, or ArtifactFailure when it cannot roll back), start the app that ran before
 * and report rolled_back. With no release to go back to, STATE/current is removed (so the broken app is not
 * restarted) and the deployment failed. An interrupted rollback is finished after a restart.
 */
final class RollbackStep implements Step {
    @Override
    public StepResult run(DeployContext ctx, InFlight f) throws IOException {
        String problem = f.problem() == null ? "release " + f.semver() + " did not stay up" : f.problem();
        int nl = problem.indexOf('\n');
        String summary = nl < 0 ? problem : problem.substring(0, nl);
        String lines = nl < 0 ? "" : problem.substring(nl);
        Executor executor = ctx.executors.of(f.deployment());
        AgentState s = ctx.state();
        if (s.app() != null && f.deployment().releaseId().equals(s.app().releaseId())) {
            ctx.launcher.remove(s.app()); // the new release's container goes; the previous one is started again
        } else if (s.app() != null) {
            ctx.launcher.stop(s.app());
        }
        ReleaseRecord target = executor.replacesApp() ? SwitchStep.rollbackTarget(f) : s.current();
        String notUndone = executor.undo(f.deployment(), executor.replacesApp() ? target : null);
        if (executor.replacesApp() && target == null) {
            ctx.save(s.withReleases(null, null).withApp(null));
            DeployContext.line(Log.Priority.ERROR, f, Phase.ROLLBACK).kv("outcome", "nothing-to-roll-back-to")
                    .msg(summary).emit();
            return StepResult.failed(f, summary + "; there is no previous release to roll back to, so no app is "
                    + "running" + lines);
        }
        if (executor.replacesApp()) {
            ReleaseRecord before = target.equals(f.priorCurrent()) ? f.priorPrevious() : null;
            ctx.save(s.withReleases(target, before).withApp(null));
        } else {
            ctx.save(s.withApp(null));
        }
        String undone = notUndone != null ? "; " + notUndone
                : executor.replacesApp() ? "; rolled back to release " + target.semver() : "; rolled back";
        if (target == null) { // firmware on a robot without an app
            return end(f, notUndone, null, summary + undone + lines);
        }
        AppRecord app;
        try {
            app = ctx.launcher.start(target);
        } catch (LaunchException e) {
            DeployContext.line(Log.Priority.ERROR, f, Phase.ROLLBACK).kv("outcome", "restart-failed")
                    .kv("to", target.semver()).msg(e.getMessage()).emit();
            return StepResult.failed(f, summary + undone + ", but starting release " + target.semver()
                    + " failed: " + e.getMessage() + lines);
        }
        ctx.save(ctx.state().withApp(app));
        return end(f, notUndone, app, summary + undone + ", running as pid " + app.pid() + lines);
    }

    private static StepResult end(InFlight f, String notUndone, AppRecord app, String detail) {
        DeployContext.line(notUndone == null ? Log.Priority.WARNING : Log.Priority.ERROR, f, Phase.ROLLBACK)
                .kv("outcome", notUndone == null ? "ok" : "not-undone")
                .kv("to", app == null ? null : app.releaseSemver()).kv("pid", app == null ? null : app.pid()).emit();
        return notUndone == null ? StepResult.decided(f, DeploymentStatus.ROLLED_BACK, detail)
                : StepResult.failed(f, detail);
    }
}
