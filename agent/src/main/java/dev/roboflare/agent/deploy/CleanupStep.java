package dev.roboflare.agent.deploy;

import dev.roboflare.agent.executor.Executor;
import dev.roboflare.agent.state.InFlight;

/**
 * cleanup: on every path to the report (applied, rolled back, failed at any phase), the kind's executor drops what
 * only this deployment used (a module's Cleanup and work directory). Best effort: it never changes the outcome.
 */
final class CleanupStep implements Step {
    @Override
    public StepResult run(DeployContext ctx, InFlight f) {
        Executor executor = ctx.executors.orNull(f.deployment());
        if (executor != null) {
            executor.cleanup(f.deployment());
        }
        return StepResult.ok(f);
    }
}
