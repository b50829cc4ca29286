package dev.roboflare.agent.delta;

import dev.roboflare.protocol.ChunkIndex;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The chunks installed releases hold on disk (a kept index and {@link TarLayout} per release still extracted under
 * STATE/releases), read back from the release's own files: a few large files read in order, where the same bytes in
 * the chunk cache are thousands of small files (slower to read on a cold page cache of a spinning disk). Not
 * checked here: the rebuild hashes the whole stream anyway and, when that fails, rebuilds from the cache alone.
 */
final class InstalledSeeds implements AutoCloseable {
    private record Where(TarLayout.Reader reader, long offset, int size) {
    }

    private final Map<String, Where> chunks = new HashMap<>();
    private final List<TarLayout.Reader> readers = new ArrayList<>();
    private boolean used;

    /**
     * The installed releases' chunks, except those of {@code artifactSha256} (the one being rebuilt). A layout that
     * cannot be read is skipped: seeds only save work.
     */
    static InstalledSeeds of(ChunkCache cache, Path releases, String artifactSha256) throws IOException {
        InstalledSeeds seeds = new InstalledSeeds();
        for (String artifact : cache.laidOut()) {
            TarLayout layout = artifact.equals(artifactSha256) ? null : cache.layout(artifact);
            ChunkIndex index = layout == null ? null : cache.keptIndex(artifact);
            Path dir = layout == null ? null : releases.resolve(layout.releaseId).normalize();
            if (index == null || !dir.startsWith(releases) || dir.equals(releases) || !Files.isDirectory(dir)
                    || index.contentSize() != layout.contentSize) {
                continue;
            }
            TarLayout.Reader reader;
            try {
                reader = layout.reader(dir);
            } catch (IOException e) {
                continue;
            }
            seeds.readers.add(reader);
            for (ChunkIndex.Chunk c : index.chunks()) {
                seeds.chunks.putIfAbsent(c.sha256(), new Where(reader, c.offset(), c.size()));
            }
        }
        return seeds;
    }

    /** No seeds: every chunk comes from the cache. */
    static InstalledSeeds none() {
        return new InstalledSeeds();
    }

    boolean has(String sha256) {
        return chunks.containsKey(sha256);
    }

    /** Reads the chunk into {@code buf}: its length, or -1 when no installed release can give it (unchecked). */
    int read(String sha256, byte[] buf) {
        Where w = chunks.get(sha256);
        try {
            if (w == null || !w.reader().read(w.offset(), w.size(), buf)) {
                return -1;
            }
        } catch (IOException e) { // a file cut short or unreadable since: the cache has the chunk
            return -1;
        }
        used = true;
        return w.size();
    }

    /** Whether {@link #read} gave any chunk (so a failed rebuild may be the seeds' fault). */
    boolean usedAny() {
        return used;
    }

    @Override
    public void close() throws IOException {
        for (TarLayout.Reader r : readers) {
            r.close();
        }
    }
}
