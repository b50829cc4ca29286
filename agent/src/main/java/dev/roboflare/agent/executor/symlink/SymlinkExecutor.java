package dev.roboflare.agent.executor.symlink;

import dev.roboflare.agent.executor.Executor;
import dev.roboflare.agent.executor.RejectedArtifactException;
import dev.roboflare.agent.state.AtomicFiles;
import dev.roboflare.protocol.ArtifactKind;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * App tarballs: extracted into STATE/releases/&lt;release id&gt;/ (through a temporary directory renamed into place,
 * so a release directory is always complete), then STATE/current is swapped to it atomically.
 */
public final class SymlinkExecutor implements Executor {
    private final Path releases;
    private final SymlinkSwitcher switcher;
    private final TarballExtractor extractor = new TarballExtractor();

    public SymlinkExecutor(Path stateDir) {
        this.releases = stateDir.resolve("releases");
        this.switcher = new SymlinkSwitcher(stateDir.resolve("current"));
    }

    @Override
    public String refusal(ArtifactKind kind) {
        return switch (kind) {
            case APP_TARBALL -> null;
            case CONTAINER_IMAGE -> "container_image needs the Docker executor (--executor docker, or auto with a "
                    + "container engine that answers)";
            default -> kind.wire() + " is not supported by this agent";
        };
    }

    @Override
    public Path releaseDir(String releaseId) {
        return releases.resolve(releaseId);
    }

    @Override
    public Path install(String releaseId, Path artifact) throws RejectedArtifactException, IOException {
        Path done = releaseDir(releaseId);
        if (Files.isDirectory(done)) {
            return done; // releases are immutable and a release dir only appears by rename, so it is complete
        }
        Files.createDirectories(releases);
        Path tmp = releases.resolve(".tmp-" + releaseId);
        deleteTree(tmp);
        try {
            extractor.extract(artifact, tmp);
        } catch (RejectedArtifactException | IOException | RuntimeException e) {
            deleteTree(tmp);
            throw e;
        }
        AtomicFiles.moveAtomically(tmp, done);
        AtomicFiles.fsyncDirectory(releases);
        return done;
    }

    @Override
    public void activate(Path releaseDir) throws IOException {
        if (releaseDir == null) {
            switcher.remove();
        } else {
            switcher.pointTo(releaseDir);
        }
    }

    /** Deletes a tree without following symlinks (a link's target is never touched). */
    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
