package dev.roboflare.agent.deploy;

import dev.roboflare.agent.executor.WholeImage;
import dev.roboflare.agent.log.Log;
import dev.roboflare.agent.state.InFlight;
import java.io.IOException;

/**
 * reboot: one atomic boot environment write makes the written slot boot next, on trial (upgrade_available=1,
 * bootcount=0). Repeating it after a crash writes the same values. The reboot itself is asked by the booted phase,
 * once this phase's end is on disk, so a robot never reboots with a state that does not know why.
 */
final class RebootStep implements Step {
    @Override
    public StepResult run(DeployContext ctx, InFlight f) {
        WholeImage image = (WholeImage) ctx.executors.of(f.deployment());
        try {
            String switched = image.switchSlots(f.deployment());
            DeployContext.line(Log.Priority.NOTICE, f, Phase.REBOOT).kv("outcome", "switched").msg(switched).emit();
        } catch (IOException e) {
            return StepResult.failed(f, "could not write the boot environment: " + e.getMessage()
                    + "; the robot keeps running the OS it runs now");
        }
        return StepResult.ok(f);
    }
}
