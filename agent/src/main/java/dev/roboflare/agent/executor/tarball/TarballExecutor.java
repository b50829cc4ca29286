package dev.roboflare.agent.executor.tarball;

import dev.roboflare.agent.executor.Executor;
import dev.roboflare.agent.executor.InstallWhileDownloading;
import dev.roboflare.agent.executor.RejectedArtifactException;
import dev.roboflare.agent.executor.SymlinkSwitcher;
import dev.roboflare.agent.files.AtomicFiles;
import dev.roboflare.agent.files.FileTrees;
import dev.roboflare.agent.launcher.AppCommand;
import dev.roboflare.agent.state.DeploymentRecord;
import dev.roboflare.agent.state.ReleaseRecord;
import dev.roboflare.protocol.ArtifactKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * app_tarball: extracted into STATE/releases/&lt;release id&gt;/ (through a temporary directory renamed into place,
 * so a release directory is always complete; the extraction runs while the artifact downloads and the rename waits
 * for verify), then STATE/current is swapped to it atomically; the launcher runs
 * the manifest's entrypoint from there.
 */
public final class TarballExecutor implements Executor {
    private final Path releases;
    private final SymlinkSwitcher switcher;
    private final TarballExtractor extractor = new TarballExtractor();
    /** The extraction that ran during the download, until the extract step takes it (or another replaces it). */
    private ExtractWhileDownloading staged;

    public TarballExecutor(Path stateDir) {
        this.releases = stateDir.resolve("releases");
        this.switcher = new SymlinkSwitcher(stateDir.resolve("current"));
    }

    @Override
    public ArtifactKind kind() {
        return ArtifactKind.APP_TARBALL;
    }

    @Override
    public String refusal(DeploymentRecord d) {
        try {
            AppCommand.from(d.manifest());
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    @Override
    public Path releaseDir(String releaseId) {
        return releases.resolve(releaseId);
    }

    @Override
    public boolean replacesApp() {
        return true;
    }

    @Override
    public Path install(DeploymentRecord d, Path artifact) throws RejectedArtifactException, IOException {
        return install(d.releaseId(), artifact);
    }

    /**
     * Starts extracting release {@code d} into its {@code .tmp-} directory from the bytes the downloader stores;
     * {@link #install} renames it once verify has passed. Null when the release is installed already.
     */
    @Override
    public synchronized InstallWhileDownloading installWhileDownloading(DeploymentRecord d) throws IOException {
        if (staged != null) {
            staged.abandon(); // a download that never reached the extract step
            staged = null;
        }
        if (Files.isDirectory(releaseDir(d.releaseId()))) {
            return null;
        }
        Files.createDirectories(releases);
        Path tmp = releases.resolve(".tmp-" + d.releaseId());
        FileTrees.deleteTree(tmp); // what a killed agent extracted: the resumed download feeds it all again
        staged = ExtractWhileDownloading.start(extractor, d.releaseId(), d.sha256(), d.size(), tmp);
        return staged;
    }

    /**
     * Installs the verified {@code artifact} as release {@code releaseId} (an installed release is reused): by
     * renaming what was extracted while it downloaded when that came from this very artifact, else by extracting
     * the file.
     */
    public Path install(String releaseId, Path artifact) throws RejectedArtifactException, IOException {
        ExtractWhileDownloading early = takeStaged();
        Path done = releaseDir(releaseId);
        if (Files.isDirectory(done)) {
            if (early != null) {
                early.abandon();
            }
            return done; // releases are immutable and a release dir only appears by rename, so it is complete
        }
        Files.createDirectories(releases);
        Path tmp = releases.resolve(".tmp-" + releaseId);
        if (early != null) {
            if (early.stagedFor(releaseId, artifact)) {
                AtomicFiles.moveAtomically(tmp, done); // extracted from the same bytes that verify checked
                AtomicFiles.fsyncDirectory(releases);
                return done;
            }
            early.abandon(); // another release's, or unusable: its directory goes
        }
        FileTrees.deleteTree(tmp);
        try {
            extractor.extract(artifact, tmp);
        } catch (RejectedArtifactException | IOException | RuntimeException e) {
            FileTrees.deleteTree(tmp);
            throw e;
        }
        AtomicFiles.moveAtomically(tmp, done);
        AtomicFiles.fsyncDirectory(releases);
        return done;
    }

    private synchronized ExtractWhileDownloading takeStaged() {
        ExtractWhileDownloading e = staged;
        staged = null;
        return e;
    }

    @Override
    public void apply(DeploymentRecord d) throws IOException {
        activate(releaseDir(d.releaseId()));
    }

    @Override
    public String undo(DeploymentRecord d, ReleaseRecord target) throws IOException {
        switcher.restore(target);
        return null;
    }

    /** Atomically makes {@code releaseDir} the current release (or removes {@code current} when null). */
    public void activate(Path releaseDir) throws IOException {
        if (releaseDir == null) {
            switcher.remove();
        } else {
            switcher.pointTo(releaseDir);
        }
    }
}
