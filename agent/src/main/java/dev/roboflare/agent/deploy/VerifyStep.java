package dev.roboflare.agent.deploy;

import dev.roboflare.agent.delta.DeltaDownloads;
import dev.roboflare.agent.download.ArtifactDownloader;
import dev.roboflare.agent.files.AtomicFiles;
import dev.roboflare.agent.log.Log;
import dev.roboflare.agent.state.InFlight;
import dev.roboflare.agent.state.DeploymentRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** verify: the bytes are exactly the artifact the control plane announced (size and SHA-256), or nothing is applied. */
final class VerifyStep implements Step {
    @Override
    public StepResult run(DeployContext ctx, InFlight f) throws IOException {
        DeploymentRecord a = f.deployment();
        InFlight.Measured m = f.downloaded();
        Path part = ctx.downloader.partFile(a.sha256());
        if (m == null) { // only when state.json was written by hand; measure the part file again
            m = Files.exists(part) ? new InFlight.Measured(Files.size(part), ArtifactDownloader.sha256Of(part))
                    : new InFlight.Measured(0, "none");
        }
        String problem = null;
        // a delta download rebuilds a gzipped tarball's uncompressed tar: that is checked against its content sha256
        DeltaDownloads.Content rebuilt = ctx.delta.acceptedContent(a.asReceived());
        boolean rebuiltTar = rebuilt != null && m.size() == rebuilt.size() && m.sha256().equals(rebuilt.sha256());
        if (!rebuiltTar && m.size() != a.size()) {
            problem = "artifact size mismatch: expected " + a.size() + " bytes, got " + m.size()
                    + " bytes (sha256 " + m.sha256() + ")";
        } else if (!rebuiltTar && !m.sha256().equals(a.sha256())) {
            problem = "artifact sha256 mismatch: expected " + a.sha256() + ", got " + m.sha256();
        }
        if (problem != null) {
            ctx.downloader.discard(a.sha256());
            return StepResult.failed(f, problem + "; the download was deleted and nothing was applied");
        }
        // the next phases trust these bytes without hashing them again: they must survive a power cut (found by
        // packaging/test/ab-boot-e2e.sh, where a reset during the write left a verified zip truncated)
        if (Files.exists(part)) {
            AtomicFiles.fsyncFile(part);
        }
        DeployContext.line(Log.Priority.INFO, f, Phase.VERIFY).kv("outcome", "ok").kv("bytes", m.size())
                .kv("sha256", m.sha256()).emit();
        if (ctx.executors.of(a) instanceof dev.roboflare.agent.executor.WholeImage) {
            return new StepResult(StepResult.Kind.WHOLE_IMAGE, f, null, null);
        }
        return StepResult.ok(f);
    }
}
