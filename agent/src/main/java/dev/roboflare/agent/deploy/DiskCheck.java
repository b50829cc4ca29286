package dev.roboflare.agent.deploy;

import dev.roboflare.agent.log.Log;
import dev.roboflare.agent.preflight.DiskPreflight;
import dev.roboflare.agent.state.AgentState;
import dev.roboflare.agent.state.InFlight;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;

/** The download phase's first act: the {@link DiskPreflight}, with the releases that must survive its cleaning. */
final class DiskCheck {
    private DiskCheck() {
    }

    /** A failed result when there is not room for the download, else null. */
    static StepResult refusal(DeployContext ctx, InFlight f) {
        DiskPreflight check = ctx.preflight;
        if (check == DiskPreflight.NONE) {
            return null;
        }
        AgentState s = ctx.state();
        Set<String> keep = new HashSet<>();
        keep.add(f.deployment().releaseId());
        if (s.current() != null) {
            keep.add(s.current().id());
        }
        if (s.previous() != null) {
            keep.add(s.previous().id());
        }
        try {
            DiskPreflight.Result r = check.check(f.deployment().size(),
                    ctx.downloader.partFile(f.deployment().sha256()), keep);
            if (r.refusal() != null) {
                return StepResult.failed(f, r.refusal());
            }
            DeployContext.line(Log.Priority.INFO, f, Phase.DOWNLOAD).kv("outcome", "preflight-ok")
                    .kv("needed", r.needed()).kv("free", r.free()).emit();
            return null;
        } catch (IOException e) {
            return StepResult.failed(f, "could not make room for the download: " + e.getMessage());
        }
    }
}
