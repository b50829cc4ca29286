package dev.roboflare.agent.deploy;

import dev.roboflare.agent.download.ArtifactDownloader;
import dev.roboflare.agent.log.Log;
import dev.roboflare.agent.state.DeploymentRecord;
import dev.roboflare.agent.state.InFlight;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * check: can this agent apply the deployment at all? Decided before a single byte is downloaded. What depends on
 * the artifact's kind (its manifest, an engine that answers, a module that exists) is the kind's executor's
 * refusal; the rest (self-update, ids, trust, hash) is the same for every kind.
 */
final class CheckStep implements Step {
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    @Override
    public StepResult run(DeployContext ctx, InFlight f) throws java.io.IOException {
        DeploymentRecord d = f.deployment();
        if ((d.releaseId() == null && d.semver() == null) || d.kind() == null) {
            return StepResult.failed(f, "the deployment has no release or artifact; the control plane sent an "
                    + "incomplete deployment");
        }
        String refusal = ctx.selfUpdateGuard.refusal(d.asReceived());
        if (refusal == null) {
            refusal = ctx.executors.refusal(d);
        }
        if (refusal == null && (d.releaseId() == null || !SAFE_ID.matcher(d.releaseId()).matches())) {
            refusal = "release id '" + d.releaseId() + "' cannot be used as a directory name";
        }
        if (refusal == null) {
            Set<String> onRobot = new HashSet<>();
            if (ctx.state().current() != null) {
                onRobot.add(ctx.state().current().id());
            }
            if (ctx.state().previous() != null) {
                onRobot.add(ctx.state().previous().id());
            }
            refusal = ctx.trust.refusal(d.asReceived(), onRobot);
        }
        if (refusal == null && !ArtifactDownloader.validSha256(d.sha256())) {
            refusal = "artifact sha256 '" + d.sha256() + "' is not 64 lowercase hex digits";
        }
        if (refusal != null) {
            return StepResult.failed(f, refusal);
        }
        DeployContext.line(Log.Priority.INFO, f, Phase.CHECK).kv("outcome", "ok").kv("kind", d.kind())
                .kv("artifact", d.artifactName()).kv("size", d.size()).emit();
        return StepResult.ok(f);
    }
}
