package dev.roboflare.agent.executor.tarball;

import dev.roboflare.agent.executor.Executor;
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
 * so a release directory is always complete), then STATE/current is swapped to it atomically; the launcher runs
 * the manifest's entrypoint from there.
 */
public final class TarballExecutor implements Executor {
    private final Path releases;
    private final SymlinkSwitcher switcher;
    private final TarballExtractor extractor = new TarballExtractor();

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

    /** Extracts {@code artifact} as release {@code releaseId} (an installed release is reused). */
    public Path install(String releaseId, Path artifact) throws RejectedArtifactException, IOException {
        Path done = releaseDir(releaseId);
        if (Files.isDirectory(done)) {
            return done; // releases are immutable and a release dir only appears by rename, so it is complete
        }
        Files.createDirectories(releases);
        Path tmp = releases.resolve(".tmp-" + releaseId);
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
