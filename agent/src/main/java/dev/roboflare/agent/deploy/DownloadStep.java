package dev.roboflare.agent.deploy;

import dev.roboflare.agent.client.LiveProgress;
import dev.roboflare.agent.delta.DeltaDownloads;
import dev.roboflare.agent.download.ArtifactDownloader;
import dev.roboflare.agent.download.DownloadInterruptedException;
import dev.roboflare.agent.executor.Executor;
import dev.roboflare.agent.executor.InstallWhileDownloading;
import dev.roboflare.agent.log.Log;
import dev.roboflare.agent.metrics.AgentMetrics;
import dev.roboflare.agent.state.InFlight;
import java.io.IOException;

/**
 * download: stream the artifact to STATE/downloads/&lt;sha256&gt;.part (resuming a part file), and let the executor
 * install from the same bytes meanwhile (an app tarball's extraction, staged for the extract step, which renames it
 * only after verify). A dead link is retried later, never failed; an HTTP error is retried too (a fresh poll brings
 * a fresh signed URL) but only {@value #MAX_HTTP_ERRORS} times.
 */
final class DownloadStep implements Step {
    static final int MAX_HTTP_ERRORS = 10;

    @Override
    public StepResult run(DeployContext ctx, InFlight f) {
        StepResult noRoom = DiskCheck.refusal(ctx, f);
        if (noRoom != null) {
            return noRoom;
        }
        LiveProgress.current().phase(f.id(), "downloading", 0L, f.deployment().size());
        InstallWhileDownloading early = null;
        try {
            Executor executor = ctx.executors.orNull(f.deployment());
            early = executor == null ? null : executor.installWhileDownloading(f.deployment());
            DeltaDownloads.Fetched got = ctx.delta.download(f.deployment().asReceived(), ctx.downloader, early);
            ArtifactDownloader.Result r = got.result();
            if (early != null) {
                early.downloaded(r); // staged for the extract step, or deleted when r is not the artifact
                early = null;
            }
            AgentMetrics.current().downloaded(got.bytesDownloaded());
            DeployContext.line(Log.Priority.INFO, f, Phase.DOWNLOAD).kv("outcome", "ok").kv("bytes", r.size())
                    .kv("sha256", r.sha256()).kv("resumed_from", r.resumedFrom() > 0 ? r.resumedFrom() : null)
                    .kv("via", got.method()).kv("bytes_downloaded", got.bytesDownloaded()).emit();
            return StepResult.ok(f.withDownloaded(new InFlight.Measured(r.size(), r.sha256())).withDownloadErrors(0));
        } catch (DownloadInterruptedException e) {
            if (e.httpStatus() >= 400 && e.httpStatus() < 500) {
                int errors = f.downloadErrors() + 1;
                if (errors >= MAX_HTTP_ERRORS) {
                    return StepResult.failed(f, "artifact download failed: the download URL answered HTTP "
                            + e.httpStatus() + " " + errors + " times in a row");
                }
                f = f.withDownloadErrors(errors);
            }
            DeployContext.line(Log.Priority.WARNING, f, Phase.DOWNLOAD).kv("outcome", "interrupted")
                    .kv("http", e.httpStatus() == 0 ? null : e.httpStatus())
                    .msg(e.getMessage() + "; will resume").emit();
            return StepResult.retryLater(f);
        } catch (IOException e) {
            try {
                ctx.downloader.discard(f.deployment().sha256());
            } catch (IOException ignored) {
                // the part file is removed on the next attempt
            }
            return StepResult.failed(f, "could not write the download to disk: " + e.getMessage()
                    + "; the partial download was removed and nothing was applied");
        } finally {
            if (early != null) {
                early.abandon();
            }
        }
    }
}
