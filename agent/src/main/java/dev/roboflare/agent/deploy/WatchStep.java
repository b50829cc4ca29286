package dev.roboflare.agent.deploy;

import dev.roboflare.agent.client.LiveProgress;
import dev.roboflare.agent.state.AppRecord;
import dev.roboflare.agent.launcher.AppStatus;
import dev.roboflare.agent.log.Log;
import dev.roboflare.agent.state.AppRecord;
import dev.roboflare.agent.state.InFlight;
import dev.roboflare.agent.systemd.SdNotify;
import java.util.List;

/**
 * watch: the new app must stay up for the whole watch window (a monotonic clock, never the wall clock). An
 * interrupted watch is watched again in full. Exits inside the window lead to rollback with the exit code and
 * the app's last lines. The app watched is the new release, or for a kind that does not replace the app (firmware)
 * the current app the switch restarted; with no app at all there is nothing to watch.
 */
final class WatchStep implements Step {
    static final int LAST_LINES = 20;

    @Override
    public StepResult run(DeployContext ctx, InFlight f) {
        String semver = f.semver();
        AppRecord app = ctx.state().app();
        long windowMs = ctx.watchWindow.toMillis();
        String expected = SwitchStep.watchedRelease(ctx, f);
        if (expected == null) {
            DeployContext.line(Log.Priority.INFO, f, Phase.WATCH).kv("outcome", "ok").kv("app", "none").emit();
            return StepResult.ok(f);
        }
        if (app == null || !expected.equals(app.releaseId())) {
            return StepResult.appExited(f, "release " + semver + " was not running when the watch began");
        }
        long tick = Math.max(20, Math.min(250, windowMs / 10));
        long deadline = System.nanoTime() + windowMs * 1_000_000L;
        while (true) {
            AppStatus st = ctx.launcher.status(app);
            if (!st.running()) {
                DeployContext.line(Log.Priority.WARNING, f, Phase.WATCH).kv("outcome", "exited")
                        .kv("exit_code", st.exitCode()).kv("pid", app.pid()).msg(st.how()).emit();
                return StepResult.appExited(f, "release " + semver + " " + st.how() + " within the "
                        + seconds(windowMs) + " watch window" + lastLines(ctx.launcher.lastLines(app, LAST_LINES)));
            }
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                break;
            }
            SdNotify.current().kick();
            LiveProgress.current().phase(f.id(), "watching", (windowMs - left) / 1000, windowMs / 1000);
            sleep(Math.min(tick, left));
        }
        DeployContext.line(Log.Priority.INFO, f, Phase.WATCH).kv("outcome", "ok").kv("pid", app.pid())
                .kv("window", seconds(windowMs)).emit();
        return StepResult.ok(f);
    }

    static String lastLines(List<String> lines) {
        if (lines.isEmpty()) {
            return "\nthe app printed nothing";
        }
        return "\nlast " + lines.size() + " lines the app printed:\n" + String.join("\n", lines);
    }

    static String seconds(long ms) {
        return ms % 1000 == 0 ? (ms / 1000) + "s" : ms + "ms";
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
