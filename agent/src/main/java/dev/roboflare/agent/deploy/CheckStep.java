package dev.roboflare.agent.deploy;

import dev.roboflare.agent.download.ArtifactDownloader;
import dev.roboflare.agent.executor.docker.ContainerSpec;
import dev.roboflare.agent.launcher.AppCommand;
import dev.roboflare.agent.log.Log;
import dev.roboflare.agent.state.InFlight;
import dev.roboflare.protocol.AgentApi;
import dev.roboflare.protocol.ArtifactKind;
import java.util.regex.Pattern;

/** check: can this agent apply the deployment at all? Decided before a single byte is downloaded. */
final class CheckStep implements Step {
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    @Override
    public StepResult run(DeployContext ctx, InFlight f) throws java.io.IOException {
        AgentApi.Deployment d = f.deployment();
        if (d.release() == null || d.artifact() == null || d.artifact().kind() == null) {
            return StepResult.failed(f, "the deployment has no release or artifact; the control plane sent an "
                    + "incomplete deployment");
        }
        String refusal = ctx.selfUpdateGuard.refusal(d);
        if (refusal == null) {
            refusal = ctx.executor.refusal(d.artifact().kind());
        }
        if (refusal == null && (d.release().id() == null || !SAFE_ID.matcher(d.release().id()).matches())) {
            refusal = "release id '" + d.release().id() + "' cannot be used as a directory name";
        }
        if (refusal == null && ctx.trust() != null) {
            java.util.Set<String> onRobot = new java.util.HashSet<>();
            if (ctx.state().current() != null) {
                onRobot.add(ctx.state().current().id());
            }
            if (ctx.state().previous() != null) {
                onRobot.add(ctx.state().previous().id());
            }
            refusal = ctx.trust().refusal(d, onRobot);
        }
        if (refusal == null && !ArtifactDownloader.validSha256(d.artifact().sha256())) {
            refusal = "artifact sha256 '" + d.artifact().sha256() + "' is not 64 lowercase hex digits";
        }
        if (refusal == null) {
            try {
                if (d.artifact().kind() == ArtifactKind.CONTAINER_IMAGE) {
                    ContainerSpec.from(d.release().manifestJson());
                } else {
                    AppCommand.from(d.release().manifestJson());
                }
            } catch (IllegalArgumentException e) {
                refusal = e.getMessage();
            }
        }
        if (refusal != null) {
            return StepResult.failed(f, refusal);
        }
        DeployContext.line(Log.Priority.INFO, f, Phase.CHECK).kv("outcome", "ok")
                .kv("kind", d.artifact().kind().wire()).kv("artifact", d.artifact().name())
                .kv("size", d.artifact().size()).emit();
        return StepResult.ok(f);
    }
}
