package dev.roboflare.agent.executor;

import dev.roboflare.agent.files.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.UUID;

/**
 * Points STATE/current at a release directory atomically: a symlink is created at a temporary name and renamed
 * over {@code current} (rename(2) replaces it in one step, so {@code current} never dangles or disappears).
 * The link is relative (releases/&lt;id&gt;), so the state directory can be moved.
 */
public final class SymlinkSwitcher {
    private final Path link;

    public SymlinkSwitcher(Path link) {
        this.link = link;
    }

    public void pointTo(Path releaseDir) throws IOException {
        Path dir = link.toAbsolutePath().getParent();
        Path target = dir.relativize(releaseDir.toAbsolutePath().normalize());
        Path tmp = dir.resolve("." + link.getFileName() + ".tmp-" + UUID.randomUUID());
        Files.createSymbolicLink(tmp, target);
        try {
            AtomicFiles.moveAtomically(tmp, link);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        AtomicFiles.fsyncDirectory(dir);
    }

    /** Points {@code current} back at {@code release}, or removes it when there is none to go back to. */
    public void restore(dev.roboflare.agent.state.ReleaseRecord release) throws IOException {
        if (release == null) {
            remove();
        } else {
            pointTo(Path.of(release.dir()));
        }
    }

    public void remove() throws IOException {
        if (Files.deleteIfExists(link)) {
            AtomicFiles.fsyncDirectory(link.toAbsolutePath().getParent());
        }
    }

    /** Where {@code current} points (absolute), or null when there is no current release. */
    public Path target() throws IOException {
        if (!Files.isSymbolicLink(link)) {
            return Files.exists(link, LinkOption.NOFOLLOW_LINKS) ? link : null;
        }
        return link.toAbsolutePath().getParent().resolve(Files.readSymbolicLink(link)).normalize();
    }
}
