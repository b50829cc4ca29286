package dev.roboflare.agent.deploy;

import dev.roboflare.agent.launcher.AppRecord;
import dev.roboflare.agent.launcher.LaunchException;
import dev.roboflare.agent.log.Log;
import dev.roboflare.agent.state.AgentState;
import dev.roboflare.agent.state.InFlight;
import dev.roboflare.agent.state.ReleaseRecord;
import java.io.IOException;
import java.util.Objects;

/**
 * switch: stop the running app, point STATE/current at the new release (atomic rename), start the new app and
 * persist its PID. Safe to run again after a crash: the app in state.json is stopped, a leftover copy of the new
 * release is stopped by the launcher, and exactly one app is started.
 */
final class SwitchStep implements Step {
    @Override
    public StepResult run(DeployContext ctx, InFlight f) throws IOException {
        ReleaseRecord next = newRelease(ctx, f);
        AgentState s = ctx.state();
        String down = ctx.executor.unavailable(ctx.executor.releaseDir(next.id()), s.app());
        if (down != null && Objects.equals(idOf(s.current()), idOf(f.priorCurrent()))) { // nothing switched yet
            return StepResult.failed(f, down);
        }
        if (s.app() != null) {
            ctx.launcher.stop(s.app());
        }
        ctx.executor.activate(ctx.executor.releaseDir(next.id()));
        ctx.save(s.withReleases(next, rollbackTarget(f)).withApp(null));
        AppRecord app;
        try {
            app = ctx.launcher.start(next);
        } catch (LaunchException e) {
            DeployContext.line(Log.Priority.WARNING, f, Phase.SWITCH).kv("outcome", "start-failed")
                    .msg(e.getMessage()).emit();
            return StepResult.appExited(f, "release " + next.semver() + " could not start: " + e.getMessage());
        }
        ctx.save(ctx.state().withApp(app));
        DeployContext.line(Log.Priority.INFO, f, Phase.SWITCH).kv("outcome", "ok").kv("current", next.dir())
                .kv("pid", app.pid()).kv("previous", f.priorCurrent() == null ? null : f.priorCurrent().semver())
                .emit();
        return StepResult.ok(f);
    }

    private static String idOf(ReleaseRecord r) {
        return r == null ? null : r.id();
    }

    static ReleaseRecord newRelease(DeployContext ctx, InFlight f) {
        var r = f.deployment().release();
        return new ReleaseRecord(r.id(), r.semver(), ctx.executor.releaseDir(r.id()).toString(), r.manifestJson());
    }

    /** What a rollback goes back to: the release that was current, unless this deployment re-applies it. */
    static ReleaseRecord rollbackTarget(InFlight f) {
        String newId = f.deployment().release().id();
        if (f.priorCurrent() != null && !f.priorCurrent().id().equals(newId)) {
            return f.priorCurrent();
        }
        if (f.priorPrevious() != null && !f.priorPrevious().id().equals(newId)) {
            return f.priorPrevious();
        }
        return null;
    }
}
