package dev.roboflare.agent.deploy;

import dev.roboflare.agent.launcher.AppRecord;
import dev.roboflare.agent.launcher.LaunchException;
import dev.roboflare.agent.log.Log;
import dev.roboflare.agent.state.AgentState;
import dev.roboflare.agent.state.InFlight;
import dev.roboflare.agent.state.ReleaseRecord;
import dev.roboflare.protocol.DeploymentStatus;
import java.io.IOException;

/**
 * rollback: stop the new app, point STATE/current back at the release that ran before, start it again and report
 * rolled_back. With no release to go back to, STATE/current is removed (so the broken app is not restarted) and
 * the deployment failed. An interrupted rollback is finished after a restart.
 */
final class RollbackStep implements Step {
    @Override
    public StepResult run(DeployContext ctx, InFlight f) throws IOException {
        String problem = f.problem() == null ? "release " + f.semver() + " did not stay up" : f.problem();
        int nl = problem.indexOf('\n');
        String summary = nl < 0 ? problem : problem.substring(0, nl);
        String lines = nl < 0 ? "" : problem.substring(nl);
        AgentState s = ctx.state();
        if (s.app() != null && f.deployment().release().id().equals(s.app().releaseId())) {
            ctx.launcher.remove(s.app()); // the new release's container goes; the previous one is started again
        } else if (s.app() != null) {
            ctx.launcher.stop(s.app());
        }
        ReleaseRecord target = SwitchStep.rollbackTarget(f);
        if (target == null) {
            ctx.executor.activate(null);
            ctx.save(s.withReleases(null, null).withApp(null));
            DeployContext.line(Log.Priority.ERROR, f, Phase.ROLLBACK).kv("outcome", "nothing-to-roll-back-to")
                    .msg(summary).emit();
            return StepResult.failed(f, summary + "; there is no previous release to roll back to, so no app is "
                    + "running" + lines);
        }
        ctx.executor.activate(ctx.executor.releaseDir(target.id()));
        ReleaseRecord before = target.equals(f.priorCurrent()) ? f.priorPrevious() : null;
        ctx.save(s.withReleases(target, before).withApp(null));
        AppRecord app;
        try {
            app = ctx.launcher.start(target);
        } catch (LaunchException e) {
            DeployContext.line(Log.Priority.ERROR, f, Phase.ROLLBACK).kv("outcome", "restart-failed")
                    .kv("to", target.semver()).msg(e.getMessage()).emit();
            return StepResult.failed(f, summary + "; rolling back to release " + target.semver() + " failed too: "
                    + e.getMessage() + lines);
        }
        ctx.save(ctx.state().withApp(app));
        DeployContext.line(Log.Priority.WARNING, f, Phase.ROLLBACK).kv("outcome", "ok").kv("to", target.semver())
                .kv("pid", app.pid()).emit();
        return StepResult.decided(f, DeploymentStatus.ROLLED_BACK, summary + "; rolled back to release "
                + target.semver() + ", running as pid " + app.pid() + lines);
    }
}
