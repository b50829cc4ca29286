package dev.roboflare.agent.delta;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roboflare.protocol.ChunkIndex;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChunkCacheTest {
    @TempDir
    Path dir;

    private static byte[] random(long seed, int size) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    private long bytesOnDisk() throws IOException {
        try (Stream<Path> files = Files.walk(dir.resolve("chunks"))) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    /** Stores {@code count} chunks of {@code size} bytes, oldest first; returns their hashes. */
    private List<String> store(ChunkCache cache, long seed, int count, int size) throws IOException {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] data = random(seed + i, size);
            String sha = ChunkCache.sha256Of(data, data.length);
            cache.put(sha, data, data.length);
            Files.setLastModifiedTime(dir.resolve("chunks").resolve(sha.substring(0, 2)).resolve(sha),
                    FileTime.fromMillis(1_000_000L * (seed + i)));
            out.add(sha);
        }
        return out;
    }

    private static byte[] indexOf(List<String> hashes, int size) {
        List<ChunkIndex.Chunk> chunks = new ArrayList<>();
        for (int i = 0; i < hashes.size(); i++) {
            chunks.add(new ChunkIndex.Chunk(hashes.get(i), (long) i * size, size));
        }
        return new ChunkIndex(ChunkIndex.Over.ARTIFACT, 1, size, size, (long) hashes.size() * size, "0".repeat(64),
                chunks).encode();
    }

    @Test
    void trimKeepsTheCacheUnderItsBoundDroppingChunksNoKeptIndexListsFirst() throws IOException {
        ChunkCache cache = new ChunkCache(dir);
        List<String> kept = store(cache, 100, 4, 10_000); // the oldest, but listed by the current release's index
        List<String> loose = store(cache, 200, 6, 10_000);
        cache.keepIndex("a".repeat(64), indexOf(kept, 10_000));

        long left = cache.trim(55_000);

        assertThat(left).isLessThanOrEqualTo(55_000).isEqualTo(bytesOnDisk());
        assertThat(kept).allMatch(cache::has);
        assertThat(loose.subList(0, 5)).noneMatch(cache::has); // oldest stored first
        assertThat(cache.has(loose.get(5))).isTrue();

        cache.trim(25_000); // a bound below the kept chunks: they go too, oldest first
        assertThat(bytesOnDisk()).isLessThanOrEqualTo(25_000);
        assertThat(cache.has(loose.get(5))).isFalse();
        assertThat(cache.has(kept.get(3))).isTrue();
    }

    @Test
    void aDamagedChunkIsNeverReturnedAndIsDeleted() throws IOException {
        ChunkCache cache = new ChunkCache(dir);
        String sha = store(cache, 1, 1, 5000).get(0);
        Path file = dir.resolve("chunks").resolve(sha.substring(0, 2)).resolve(sha);
        byte[] damaged = Files.readAllBytes(file);
        damaged[100] ^= 1;
        Files.write(file, damaged);

        assertThat(cache.read(sha)).isNull();
        assertThat(cache.has(sha)).isFalse();
    }

    @Test
    void onlyTheNewestIndexesAreKept() throws IOException {
        ChunkCache cache = new ChunkCache(dir);
        List<String> one = store(cache, 1, 1, 100);
        for (char c : "abcd".toCharArray()) {
            cache.keepIndex(String.valueOf(c).repeat(64), indexOf(one, 100));
            Files.setLastModifiedTime(dir.resolve("indexes").resolve(String.valueOf(c).repeat(64)),
                    FileTime.fromMillis(1_000_000L * c));
        }
        cache.keepIndex("e".repeat(64), indexOf(one, 100));

        assertThat(cache.keptIndex("a".repeat(64))).isNull();
        assertThat(cache.keptIndex("b".repeat(64))).isNull();
        assertThat(cache.keptIndex("e".repeat(64))).isNotNull();
        try (Stream<Path> files = Files.list(dir.resolve("indexes"))) {
            assertThat(files.count()).isEqualTo(ChunkCache.KEPT_INDEXES);
        }
    }

    @Test
    void aChunkIsReadIntoTheRebuildsBufferAndOneTooLargeForItIsDeleted() throws IOException {
        ChunkCache cache = new ChunkCache(dir);
        String sha = store(cache, 300, 1, 5_000).get(0);
        byte[] buf = new byte[8_000];
        assertThat(cache.readUnchecked(sha, buf)).isEqualTo(5_000);
        assertThat(java.util.Arrays.copyOf(buf, 5_000)).isEqualTo(random(300, 5_000));
        assertThat(cache.readUnchecked("f".repeat(64), buf)).isEqualTo(-1);

        assertThat(cache.readUnchecked(sha, new byte[4_096])).as("larger than any chunk: damaged").isEqualTo(-1);
        assertThat(cache.has(sha)).isFalse();
    }

    @Test
    void aLayoutIsKeptOnlyWithItsIndexAndLeavesWithIt() throws IOException {
        ChunkCache cache = new ChunkCache(dir);
        TarLayout.Recorder recorder = new TarLayout.Recorder();
        recorder.write(new byte[1024], 0, 1024); // the end-of-archive blocks alone
        TarLayout layout = recorder.finish("rel-1");
        String[] artifacts = {"1".repeat(64), "2".repeat(64), "3".repeat(64), "4".repeat(64)};
        cache.keepLayout(artifacts[0], layout);
        assertThat(cache.laidOut()).as("no index kept for it").isEmpty();
        for (int i = 0; i < artifacts.length; i++) {
            cache.keepIndex(artifacts[i], indexOf(List.of(), 1));
            cache.keepLayout(artifacts[i], layout);
            Files.setLastModifiedTime(dir.resolve("indexes").resolve(artifacts[i]), FileTime.fromMillis(1_000L * i));
            Files.setLastModifiedTime(dir.resolve("layouts").resolve(artifacts[i]), FileTime.fromMillis(1_000L * i));
        }
        // the fourth index trimmed the oldest, and its layout with it
        assertThat(cache.laidOut()).containsExactly(artifacts[3], artifacts[2], artifacts[1]);
        assertThat(cache.layout(artifacts[3]).releaseId).isEqualTo("rel-1");
        assertThat(cache.layout(artifacts[0])).isNull();
    }
}
