package dev.roboflare.agent.preflight;

import dev.roboflare.agent.files.FileTrees;
import dev.roboflare.agent.log.Log;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

/**
 * Before a download: is there room on the state directory's file system for the rest of the artifact, its
 * extraction ({@value #EXTRACT_FACTOR} × the artifact size, the usual gzip ratio of app code) and a configurable
 * reserve left for the robot? If not, releases older than the previous one and stale part files of other artifacts
 * are deleted, and the space is measured again. Still not enough → the deployment fails with the numbers.
 */
public final class DiskPreflight {
    public static final long EXTRACT_FACTOR = 3;
    public static final long DEFAULT_RESERVE = 64L * 1024 * 1024;

    /** What the check decided; {@code refusal} is null when there is room. */
    public record Result(long needed, long free, List<String> cleaned, String refusal) {
    }

    /** No check: every download may go ahead (tests that do not care about the disk). */
    public static final DiskPreflight NONE = new DiskPreflight(Path.of("."), 0, () -> Long.MAX_VALUE);

    private final Path stateDir;
    private final long reserve;
    private final LongSupplier freeBytes;

    public DiskPreflight(Path stateDir, long reserveBytes) {
        this(stateDir, reserveBytes, () -> usable(stateDir));
    }

    /** {@code freeBytes} is injectable so the cleaning can be tested without a full disk. */
    public DiskPreflight(Path stateDir, long reserveBytes, LongSupplier freeBytes) {
        this.stateDir = stateDir;
        this.reserve = reserveBytes;
        this.freeBytes = freeBytes;
    }

    /**
     * @param artifactSize the declared size of the artifact
     * @param partFile     the part file of this artifact (its bytes are already on disk)
     * @param keep         release ids that must survive cleaning (current, previous, the one being deployed)
     */
    public Result check(long artifactSize, Path partFile, Set<String> keep) throws IOException {
        long have = Files.exists(partFile) ? Files.size(partFile) : 0;
        long needed = Math.max(0, artifactSize - have) + EXTRACT_FACTOR * artifactSize + reserve;
        long free = freeBytes.getAsLong();
        List<String> cleaned = new ArrayList<>();
        if (free >= needed) {
            return new Result(needed, free, cleaned, null);
        }
        cleaned.addAll(clean(partFile, keep));
        free = freeBytes.getAsLong();
        if (free >= needed) {
            return new Result(needed, free, cleaned, null);
        }
        String refusal = "not enough disk space on " + stateDir + ": need " + mib(needed) + " ("
                + mib(Math.max(0, artifactSize - have)) + " left to download + " + mib(EXTRACT_FACTOR * artifactSize)
                + " to extract + " + mib(reserve) + " reserve), " + mib(free) + " free"
                + (cleaned.isEmpty() ? "; nothing old to clean" : " after removing " + String.join(", ", cleaned))
                + "; nothing was downloaded or changed";
        return new Result(needed, free, cleaned, refusal);
    }

    private List<String> clean(Path partFile, Set<String> keep) throws IOException {
        List<String> removed = new ArrayList<>();
        Path releases = stateDir.resolve("releases");
        if (Files.isDirectory(releases)) {
            List<Path> dirs;
            try (Stream<Path> s = Files.list(releases)) {
                dirs = s.toList();
            }
            for (Path d : dirs) {
                String name = d.getFileName().toString();
                if (keep.contains(name) || name.startsWith(".tmp-") && keep.contains(name.substring(5))) {
                    continue;
                }
                FileTrees.deleteTree(d);
                removed.add("release " + name);
            }
        }
        Path downloads = partFile.getParent();
        if (downloads != null && Files.isDirectory(downloads)) {
            List<Path> parts;
            try (Stream<Path> s = Files.list(downloads)) {
                parts = s.filter(p -> !p.equals(partFile)).toList();
            }
            for (Path p : parts) {
                Files.deleteIfExists(p);
                removed.add("download " + p.getFileName());
            }
        }
        if (!removed.isEmpty()) {
            Log.notice().kv("step", "preflight").kv("outcome", "cleaned").kv("removed", String.join(",", removed))
                    .msg("removed releases older than the previous one to make room").emit();
        }
        return removed;
    }

    static String mib(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f MiB (%d bytes)", bytes / 1048576.0, bytes);
    }

    private static long usable(Path dir) {
        try {
            Files.createDirectories(dir);
            return Files.getFileStore(dir).getUsableSpace();
        } catch (IOException e) {
            return Long.MAX_VALUE; // cannot measure: let the download try, ENOSPC is still handled
        }
    }
}
