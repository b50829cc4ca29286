package dev.roboflare.agent.deploy;

import dev.roboflare.agent.executor.Executor;
import dev.roboflare.agent.executor.RejectedArtifactException;
import dev.roboflare.agent.launcher.LaunchException;
import dev.roboflare.agent.log.Log;
import dev.roboflare.agent.state.AgentState;
import dev.roboflare.agent.state.AppRecord;
import dev.roboflare.agent.state.DeploymentRecord;
import dev.roboflare.agent.state.InFlight;
import dev.roboflare.agent.state.ReleaseRecord;
import java.io.IOException;
import java.util.Objects;

/**
 * switch: stop the running app, let the kind's executor apply the release (point STATE/current at it; run a
 * module's ArtifactInstall), start the app and persist its PID: the new release when it is the app, the current
 * app again when the release changes what the app talks to (firmware). Safe to run again after a crash: the app in
 * state.json is stopped, a leftover copy of the new release is stopped by the launcher, and exactly one app is
 * started; an executor whose apply cannot be repeated answers a rejection, which rolls back.
 */
final class SwitchStep implements Step {
    @Override
    public StepResult run(DeployContext ctx, InFlight f) throws IOException {
        DeploymentRecord d = f.deployment();
        Executor executor = ctx.executors.of(d);
        AgentState s = ctx.state();
        boolean untouched = executor.replacesApp() ? Objects.equals(idOf(s.current()), idOf(f.priorCurrent()))
                : f.entries(Phase.SWITCH.word()) == 1;
        String down = ctx.executors.unavailable(d, s.app());
        if (down != null && untouched) {
            return StepResult.failed(f, down);
        }
        if (s.app() != null) {
            ctx.launcher.stop(s.app());
        }
        try {
            executor.apply(d);
        } catch (RejectedArtifactException e) {
            DeployContext.line(Log.Priority.WARNING, f, Phase.SWITCH).kv("outcome", "apply-failed")
                    .msg(e.getMessage().lines().findFirst().orElse("")).emit();
            ctx.save(ctx.state().withApp(null));
            return StepResult.appExited(f, e.getMessage());
        }
        ReleaseRecord app = executor.replacesApp() ? newRelease(executor, d) : s.current();
        ctx.save(executor.replacesApp() ? s.withReleases(app, rollbackTarget(f)).withApp(null) : s.withApp(null));
        if (app == null) {
            DeployContext.line(Log.Priority.INFO, f, Phase.SWITCH).kv("outcome", "ok").kv("app", "none").emit();
            return StepResult.ok(f);
        }
        AppRecord started;
        try {
            started = ctx.launcher.start(app);
        } catch (LaunchException e) {
            DeployContext.line(Log.Priority.WARNING, f, Phase.SWITCH).kv("outcome", "start-failed")
                    .msg(e.getMessage()).emit();
            return StepResult.appExited(f, "release " + app.semver() + " could not start: " + e.getMessage());
        }
        ctx.save(ctx.state().withApp(started));
        DeployContext.line(Log.Priority.INFO, f, Phase.SWITCH).kv("outcome", "ok").kv("current", app.dir())
                .kv("pid", started.pid()).kv("previous", f.priorCurrent() == null ? null : f.priorCurrent().semver())
                .emit();
        return StepResult.ok(f);
    }

    private static String idOf(ReleaseRecord r) {
        return r == null ? null : r.id();
    }

    static ReleaseRecord newRelease(Executor executor, DeploymentRecord d) {
        return new ReleaseRecord(d.releaseId(), d.semver(), executor.releaseDir(d.releaseId()).toString(),
                d.manifest());
    }

    /** The release whose app the watch must see running: the new one, or the current app for firmware. */
    static String watchedRelease(DeployContext ctx, InFlight f) {
        if (ctx.executors.of(f.deployment()).replacesApp()) {
            return f.deployment().releaseId();
        }
        return ctx.state().current() == null ? null : ctx.state().current().id();
    }

    /** What a rollback goes back to: the release that was current, unless this deployment re-applies it. */
    static ReleaseRecord rollbackTarget(InFlight f) {
        String newId = f.deployment().releaseId();
        if (f.priorCurrent() != null && !f.priorCurrent().id().equals(newId)) {
            return f.priorCurrent();
        }
        if (f.priorPrevious() != null && !f.priorPrevious().id().equals(newId)) {
            return f.priorPrevious();
        }
        return null;
    }
}
