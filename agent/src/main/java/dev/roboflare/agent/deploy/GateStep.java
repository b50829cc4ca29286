package dev.roboflare.agent.deploy;

import dev.roboflare.agent.client.LiveProgress;
import dev.roboflare.agent.executor.WholeImage;
import dev.roboflare.agent.gate.Verdict;
import dev.roboflare.agent.log.Log;
import dev.roboflare.agent.state.InFlight;
import dev.roboflare.agent.systemd.SdNotify;
import java.time.Duration;
import java.time.Instant;

/**
 * gate: the release is downloaded, verified and extracted; before anything disturbs the app (the switch of every
 * kind: a new app, a module's install, an A/B reboot) the robot must be free. While it is busy the deployment waits
 * here, persisted, and asks again at every poll; one log line when the wait starts (why) and one when it ends (how
 * long). Still busy after --max-defer: failed with the reason, nothing disturbed. A forced deployment passes.
 */
final class GateStep implements Step {
    @Override
    public StepResult run(DeployContext ctx, InFlight f) {
        Instant now = Instant.now();
        if (f.deployment().force()) {
            ctx.gate.holdIfFree();
            DeployContext.line(Log.Priority.NOTICE, f, Phase.GATE).kv("outcome", "forced")
                    .msg("deployed with force: not waiting for the robot to be free").emit();
            return passed(ctx, f);
        }
        Verdict v = ctx.gate.ask(now);
        if (v.state() == Verdict.State.FREE) {
            if (f.gatedSince() != null) {
                DeployContext.line(Log.Priority.INFO, f, Phase.GATE).kv("outcome", "free")
                        .kv("waited", human(Duration.between(f.gatedSince(), now)))
                        .msg("the robot is free; switching now").emit();
            }
            return passed(ctx, f);
        }
        Instant since = f.gatedSince() == null ? now : f.gatedSince();
        Duration waited = Duration.between(since, now);
        if (ctx.gate.maxDefer() != null && waited.compareTo(ctx.gate.maxDefer()) >= 0) {
            return StepResult.failed(f.withGate(since, null), "the robot stayed busy for "
                    + human(ctx.gate.maxDefer()) + " (" + v.reason() + "); nothing was changed on it. Deploy "
                    + "again when it is free, or with force to update it anyway");
        }
        if (f.gatedSince() == null) {
            DeployContext.line(Log.Priority.NOTICE, f, Phase.GATE).kv("outcome", "waiting").msg("the robot is busy ("
                    + v.reason() + "); the release is downloaded and waits, the running app is left alone").emit();
        }
        LiveProgress.current().gated(f.id(), v.reason(), since);
        SdNotify.current().status("deployment " + f.id() + " release " + f.semver() + ": gate, waiting since "
                + since + " (" + v.reason() + ")");
        return StepResult.waitFor(f.withGate(since, v.reason()));
    }

    /** Free: a whole OS image goes on to its reboot (that kind's switch), every other kind to switch. */
    private static StepResult passed(DeployContext ctx, InFlight f) {
        LiveProgress.current().phase(f.id(), "switching", null, null); // the next poll no longer says waiting
        InFlight next = f.withGate(f.gatedSince(), null);
        return ctx.executors.of(f.deployment()) instanceof WholeImage
                ? new StepResult(StepResult.Kind.WHOLE_IMAGE, next, null, null) : StepResult.ok(next);
    }

    /** 12h, 1h30m, 4m12s, 800ms: how a technician says a duration. */
    static String human(Duration d) {
        if (d.toMillis() < 1000) {
            return d.toMillis() + "ms";
        }
        long s = d.toSeconds();
        StringBuilder b = new StringBuilder();
        if (s >= 3600) {
            b.append(s / 3600).append('h');
        }
        if (s % 3600 >= 60) {
            b.append(s % 3600 / 60).append('m');
        }
        if (s % 60 != 0 || s < 60) {
            b.append(s % 60).append('s');
        }
        return b.toString();
    }
}
