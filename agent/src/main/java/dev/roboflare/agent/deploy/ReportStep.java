package dev.roboflare.agent.deploy;

import dev.roboflare.agent.log.Log;
import dev.roboflare.agent.state.InFlight;
import dev.roboflare.agent.state.Outcome;
import dev.roboflare.protocol.AgentApi;
import dev.roboflare.protocol.DeploymentStatus;
import java.io.IOException;

/**
 * report: put the decided event (its event_id was made when the outcome was decided) in the outbox, fsynced, and
 * remember the deployment as finished. Delivery happens later, from the outbox; it never changes the robot.
 */
final class ReportStep implements Step {
    @Override
    public StepResult run(DeployContext ctx, InFlight f) throws IOException {
        Outcome o = f.outcome();
        ctx.outbox.enqueue(f.id(), new AgentApi.Event(o.eventId(), o.status(),
                ctx.delta.withBytesDownloaded(f.id(), o.detail())));
        if (o.status() == DeploymentStatus.APPLIED && f.deployment().releaseId() != null) {
            ctx.trust.applied(f.deployment().releaseId()); // before finish: a crash here repeats it harmlessly
        }
        ctx.save(ctx.state().finish(f.id()));
        Log.Priority p = o.status() == DeploymentStatus.APPLIED ? Log.Priority.INFO
                : o.status() == DeploymentStatus.ROLLED_BACK ? Log.Priority.WARNING : Log.Priority.ERROR;
        String firstLine = o.detail().lines().findFirst().orElse("");
        DeployContext.line(p, f, Phase.REPORT).kv("outcome", o.status().wire()).kv("event", o.eventId())
                .kv("detail", firstLine).emit();
        return StepResult.ok(f);
    }
}
