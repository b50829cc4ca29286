package dev.roboflare.agent.delta;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * What one deployment's downloads carried over the link, across attempts and agent restarts:
 * STATE/chunk-cache/tally/&lt;deployment id&gt; holds {@code <bytes> <how>}, e.g.
 * {@code 10747904 delta (165 of 7998 chunks fetched)}. The report step appends it to the deployment's event detail
 * as {@code bytes_downloaded=...}, so an operator sees what the link carried. Only the newest deployment's is kept.
 */
final class DownloadTally {
    private final Path dir;

    DownloadTally(Path dir) {
        this.dir = dir;
    }

    /** Forgets the tallies of other deployments (each is read only by its own report). */
    void startFor(String deploymentId) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                if (!f.getFileName().toString().equals(deploymentId)) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }

    void add(String deploymentId, long bytes) throws IOException {
        String[] now = read(deploymentId);
        write(deploymentId, (now == null ? 0 : Long.parseLong(now[0])) + Math.max(0, bytes),
                now == null ? "in progress" : now[1]);
    }

    void finish(String deploymentId, String how) throws IOException {
        String[] now = read(deploymentId);
        write(deploymentId, now == null ? 0 : Long.parseLong(now[0]), how);
    }

    /** {@code bytes_downloaded=N via=HOW}, or null when this deployment downloaded nothing through here. */
    String line(String deploymentId) {
        try {
            String[] now = read(deploymentId);
            return now == null ? null : "bytes_downloaded=" + now[0] + " via=" + now[1];
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private String[] read(String deploymentId) throws IOException {
        Path f = file(deploymentId);
        if (f == null) {
            return null;
        }
        try {
            String text = Files.readString(f, StandardCharsets.UTF_8).strip();
            String[] parts = text.split(" ", 2);
            Long.parseLong(parts[0]);
            return parts.length == 2 ? parts : new String[] {parts[0], "unknown"};
        } catch (NoSuchFileException e) {
            return null;
        } catch (NumberFormatException e) {
            return null; // a torn write after a crash: start counting again
        }
    }

    private void write(String deploymentId, long bytes, String how) throws IOException {
        Path f = file(deploymentId);
        if (f == null) {
            return;
        }
        Files.createDirectories(dir);
        Path tmp = dir.resolve(deploymentId + ".part");
        Files.writeString(tmp, bytes + " " + how, StandardCharsets.UTF_8);
        Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The tally file, or null for an id that cannot be a file name (such a deployment gets no tally). */
    private Path file(String deploymentId) {
        return deploymentId != null && deploymentId.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,127}")
                ? dir.resolve(deploymentId) : null;
    }
}
