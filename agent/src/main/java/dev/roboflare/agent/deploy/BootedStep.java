package dev.roboflare.agent.deploy;

import dev.roboflare.agent.executor.WholeImage;
import dev.roboflare.agent.launcher.LaunchException;
import dev.roboflare.agent.log.Log;
import dev.roboflare.agent.state.AppRecord;
import dev.roboflare.agent.state.InFlight;
import dev.roboflare.agent.state.ReleaseRecord;
import dev.roboflare.agent.systemd.SdNotify;
import java.io.IOException;

/**
 * booted: before the reboot, asks for it ("rebooting into slot 3") and waits to be stopped by it. After it: the
 * new slot runs → the app is watched for the watch window (with no app, the boot itself was the check); the old
 * slot runs → the bootloader fell back ("the new OS did not boot") and the deployment reverts.
 */
final class BootedStep implements Step {
    @Override
    public StepResult run(DeployContext ctx, InFlight f) throws IOException {
        WholeImage image = (WholeImage) ctx.executors.of(f.deployment());
        WholeImage.Booted b = image.booted(f.deployment());
        switch (b.boot()) {
            case NOT_YET -> {
                return reboot(ctx, f, image, "rebooting into slot " + b.target(), Phase.BOOTED);
            }
            case FELL_BACK -> {
                DeployContext.line(Log.Priority.ERROR, f, Phase.BOOTED).kv("outcome", "fell-back")
                        .kv("slot", b.slot()).kv("tried", b.target()).emit();
                return StepResult.appExited(f, "the new OS did not boot: slot " + b.target() + " was tried and the "
                        + "bootloader went back to slot " + b.slot());
            }
            default -> {
                DeployContext.line(Log.Priority.NOTICE, f, Phase.BOOTED).kv("outcome", "new-slot")
                        .kv("slot", b.slot()).emit();
                String notStarted = ensureApp(ctx, f);
                if (notStarted != null) {
                    return StepResult.appExited(f, notStarted);
                }
                return new WatchStep().run(ctx, f);
            }
        }
    }

    /** Runs the reboot command and answers retry-later: the reboot stops the agent, or the next poll asks again. */
    static StepResult reboot(DeployContext ctx, InFlight f, WholeImage image, String why, Phase phase)
            throws IOException {
        DeployContext.line(Log.Priority.NOTICE, f, phase).kv("outcome", "rebooting").msg(why).emit();
        SdNotify.current().status("deployment " + f.id() + " release " + f.semver() + ": " + why);
        image.reboot(why);
        return StepResult.retryLater(f);
    }

    /**
     * After a reboot the app record of the previous boot is stale: the launcher is asked whether the current app
     * runs (a systemd unit the new root started) and it is started when it does not. Null, or why it cannot start.
     */
    static String ensureApp(DeployContext ctx, InFlight f) throws IOException {
        ReleaseRecord current = ctx.state().current();
        AppRecord app = ctx.state().app();
        if (current == null || (app != null && ctx.launcher.status(app).running())) {
            return null;
        }
        try {
            ctx.save(ctx.state().withApp(ctx.launcher.start(current)));
            return null;
        } catch (LaunchException e) {
            return "release " + current.semver() + " could not start after the reboot: " + e.getMessage();
        }
    }
}
