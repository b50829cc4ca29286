package dev.roboflare.agent.deploy;

import dev.roboflare.agent.executor.WholeImage;
import dev.roboflare.agent.log.Log;
import dev.roboflare.agent.state.InFlight;
import dev.roboflare.protocol.DeploymentStatus;
import java.io.IOException;

/**
 * revert: the boot environment points at the slot that ran before (upgrade_available cleared); when that slot
 * is not the one running, the robot reboots into it first. The deployment is reported rolled_back from the old
 * slot, with the reason (the app's exit, or the new OS that did not boot).
 */
final class RevertStep implements Step {
    @Override
    public StepResult run(DeployContext ctx, InFlight f) throws IOException {
        WholeImage image = (WholeImage) ctx.executors.of(f.deployment());
        String problem = f.problem() == null ? "the new OS did not stay up" : f.problem();
        if (!image.revert(f.deployment())) {
            return BootedStep.reboot(ctx, f, image, "rebooting into the previous OS: "
                    + problem.lines().findFirst().orElse(""), Phase.REVERT);
        }
        String notStarted = BootedStep.ensureApp(ctx, f);
        DeployContext.line(Log.Priority.WARNING, f, Phase.REVERT).kv("outcome", "ok").msg("the previous OS runs")
                .emit();
        int nl = problem.indexOf('\n');
        String summary = nl < 0 ? problem : problem.substring(0, nl);
        String lines = nl < 0 ? "" : problem.substring(nl);
        return StepResult.decided(f, DeploymentStatus.ROLLED_BACK, summary + "; rolled back to the previous OS"
                + (notStarted == null ? "" : " (" + notStarted + ")") + lines);
    }
}
