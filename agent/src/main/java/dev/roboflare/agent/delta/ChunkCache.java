package dev.roboflare.agent.delta;

import dev.roboflare.protocol.ChunkIndex;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import dev.roboflare.protocol.Sha256;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The robot's chunk cache, STATE/chunk-cache: verified chunks under {@code chunks/<2 hex>/<sha256>} and the chunk
 * indexes of the last {@value #KEPT_INDEXES} artifacts this robot downloaded under {@code indexes/<artifact sha256>}
 * (its current and previous releases, and the one in flight), with, for a tar, its {@link TarLayout} under
 * {@code layouts/<artifact sha256>} (to read its chunks back from the extracted release). A cache, not state: anything unreadable in it is
 * deleted and fetched again. {@link #trim} keeps it under the bound, dropping chunks no kept index lists first,
 * oldest stored first (a chunk the robot still uses is listed by a kept index, so no access time is kept).
 */
final class ChunkCache {
    static final int KEPT_INDEXES = 3;

    private final Path chunks;
    private final Path indexes;
    private final Path incoming;
    private final Path layouts;

    ChunkCache(Path dir) {
        this.chunks = dir.resolve("chunks");
        this.indexes = dir.resolve("indexes");
        this.incoming = dir.resolve("incoming");
        this.layouts = dir.resolve("layouts");
    }

    boolean has(String sha256) {
        return Files.isRegularFile(chunkPath(sha256));
    }

    /** The chunk's bytes, or null when it is not here or no longer matches its hash (it is then deleted). */
    byte[] read(String sha256) throws IOException {
        byte[] data = readUnchecked(sha256);
        if (data != null && !sha256.equals(sha256Of(data, data.length))) {
            Files.deleteIfExists(chunkPath(sha256));
            return null;
        }
        return data;
    }

    /**
     * The chunk's bytes as stored, or null when it is not here: for a caller that checks the whole content it
     * rebuilds anyway (one SHA-256 pass instead of two) and calls {@link #read} on each chunk only when that fails.
     */
    byte[] readUnchecked(String sha256) throws IOException {
        try {
            return Files.readAllBytes(chunkPath(sha256));
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /**
     * {@link #readUnchecked} into {@code buf} (no allocation per chunk: a rebuild reads thousands); the length read,
     * or -1 when the chunk is not here (one larger than {@code buf} is damaged: it is deleted).
     */
    int readUnchecked(String sha256, byte[] buf) throws IOException {
        boolean tooLarge;
        int n;
        try (var ch = java.nio.channels.FileChannel.open(chunkPath(sha256))) {
            java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(buf);
            while (bb.hasRemaining() && ch.read(bb) >= 0) {
                // a chunk file is read whole
            }
            tooLarge = ch.position() < ch.size();
            n = bb.position();
        } catch (NoSuchFileException e) {
            return -1;
        }
        if (tooLarge) {
            Files.deleteIfExists(chunkPath(sha256));
            return -1;
        }
        return n;
    }

    /** Stores a verified chunk (temp file and rename: a chunk is never seen half-written). */
    void put(String sha256, byte[] data, int length) throws IOException {
        Path target = chunkPath(sha256);
        if (Files.exists(target)) {
            return;
        }
        Files.createDirectories(target.getParent());
        Files.createDirectories(incoming);
        Path tmp = Files.createTempFile(incoming, "chunk-", ".part");
        try {
            try (var out = Files.newOutputStream(tmp)) {
                out.write(data, 0, length);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Remembers an artifact's index (its chunks are kept before others); only the newest few are kept. */
    void keepIndex(String artifactSha256, byte[] encoded) throws IOException {
        Files.createDirectories(indexes);
        Path target = indexes.resolve(checked(artifactSha256));
        Path tmp = Files.createTempFile(indexes, "index-", ".part");
        try {
            Files.write(tmp, encoded);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
        List<Path> kept = byAge(indexes);
        for (int i = 0; i < kept.size() - KEPT_INDEXES; i++) {
            Files.deleteIfExists(kept.get(i));
            Files.deleteIfExists(layouts.resolve(kept.get(i).getFileName()));
        }
    }

    /** Remembers where a kept index's tar lies on disk once extracted (dropped with its index). */
    void keepLayout(String artifactSha256, TarLayout layout) throws IOException {
        if (!Files.exists(indexes.resolve(checked(artifactSha256)))) {
            return;
        }
        Files.createDirectories(layouts);
        Path tmp = Files.createTempFile(layouts, "layout-", ".part");
        try {
            layout.write(tmp);
            Files.move(tmp, layouts.resolve(artifactSha256), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The artifact sha256s with a kept index and layout, newest first. */
    List<String> laidOut() throws IOException {
        List<String> out = new ArrayList<>();
        for (Path p : byAge(layouts)) {
            String sha = p.getFileName().toString();
            if (sha.matches("[0-9a-f]{64}") && Files.exists(indexes.resolve(sha))) {
                out.add(0, sha);
            }
        }
        return out;
    }

    /** A kept layout, or null (none, or unreadable: then it is deleted). */
    TarLayout layout(String artifactSha256) throws IOException {
        Path p = layouts.resolve(checked(artifactSha256));
        try {
            return TarLayout.read(p);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            Files.deleteIfExists(p);
            return null;
        }
    }

    /** A kept index, or null (none kept, or unreadable: then it is deleted). */
    ChunkIndex keptIndex(String artifactSha256) throws IOException {
        Path p = indexes.resolve(checked(artifactSha256));
        try {
            return ChunkIndex.decode(new ByteArrayInputStream(Files.readAllBytes(p)));
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            Files.deleteIfExists(p);
            return null;
        }
    }

    /**
     * Deletes chunks, oldest stored first, until the cache holds at most {@code bound} bytes: first those no
     * kept index lists, then, if still over, kept ones too. Returns the bytes left.
     */
    long trim(long bound) throws IOException {
        record Entry(Path path, long size, FileTime modified, boolean pinned) {
        }
        List<Entry> all = new ArrayList<>();
        long total = 0;
        if (Files.isDirectory(chunks)) {
            try (DirectoryStream<Path> prefixes = Files.newDirectoryStream(chunks)) {
                for (Path prefix : prefixes) {
                    try (DirectoryStream<Path> files = Files.newDirectoryStream(prefix)) {
                        for (Path c : files) {
                            var attrs = Files.readAttributes(c, java.nio.file.attribute.BasicFileAttributes.class);
                            all.add(new Entry(c, attrs.size(), attrs.lastModifiedTime(), false));
                            total += attrs.size();
                        }
                    }
                }
            }
        }
        if (total <= bound) {
            return total;
        }
        Set<String> pinned = new HashSet<>();
        for (Path p : byAge(indexes)) {
            ChunkIndex idx = keptIndex(p.getFileName().toString());
            if (idx != null) {
                idx.chunks().forEach(c -> pinned.add(c.sha256()));
            }
        }
        List<Entry> order = new ArrayList<>();
        all.forEach(e -> order.add(new Entry(e.path(), e.size(), e.modified(),
                pinned.contains(e.path().getFileName().toString()))));
        order.sort(Comparator.comparing(Entry::pinned).thenComparing(Entry::modified));
        for (Entry e : order) {
            if (total <= bound) {
                break;
            }
            Files.deleteIfExists(e.path());
            total -= e.size();
        }
        return total;
    }

    static String sha256Of(byte[] data, int length) {
        MessageDigest md = Sha256.newDigest();
        md.update(data, 0, length);
        return Sha256.hex(md);
    }

    private Path chunkPath(String sha256) {
        return chunks.resolve(checked(sha256).substring(0, 2)).resolve(sha256);
    }

    private static String checked(String sha256) {
        if (sha256 == null || !sha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("not a lowercase hex SHA-256: " + sha256);
        }
        return sha256;
    }

    /** Regular files of {@code dir}, oldest modification first ([] when there is no such directory). */
    private static List<Path> byAge(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, p -> !p.getFileName().toString()
                .endsWith(".part"))) {
            files.forEach(out::add);
        }
        out.sort(Comparator.comparing(ChunkCache::modified));
        return out;
    }

    private static FileTime modified(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }
}
