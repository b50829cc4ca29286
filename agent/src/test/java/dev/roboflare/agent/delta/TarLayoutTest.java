package dev.roboflare.agent.delta;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roboflare.protocol.TarHeaders;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An installed release's tar stream read back from its extracted files and the kept layout. */
class TarLayoutTest {
    private static final String LONG = "share/" + "deep/".repeat(30) + "weights.bin"; // a pax path record

    @TempDir
    Path tmp;

    private static byte[] random(long seed, int size) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** A tar with directories, a symlink, an empty file, a pax long name, and files of odd sizes. */
    private static byte[] tar(int longMode) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            tar.setLongFileMode(longMode);
            dir(tar, "./");
            dir(tar, "./bin/");
            file(tar, "./bin/app", "#!/bin/sh\nexec sleep 600\n".getBytes());
            TarArchiveEntry link = new TarArchiveEntry("bin/run", TarConstants.LF_SYMLINK);
            link.setLinkName("app");
            tar.putArchiveEntry(link);
            tar.closeArchiveEntry();
            file(tar, "share/empty", new byte[0]);
            file(tar, LONG, random(1, 70_001));
            file(tar, "share/model.bin", random(2, 300_000));
        }
        return bytes.toByteArray();
    }

    private static void dir(TarArchiveOutputStream tar, String name) throws IOException {
        tar.putArchiveEntry(new TarArchiveEntry(name, TarConstants.LF_DIR));
        tar.closeArchiveEntry();
    }

    private static void file(TarArchiveOutputStream tar, String name, byte[] content) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(content.length);
        tar.putArchiveEntry(e);
        tar.write(content);
        tar.closeArchiveEntry();
    }

    /** Extracts the regular files the way the tarball executor names them. */
    private Path extract(byte[] tar) throws IOException {
        Path dir = Files.createTempDirectory(tmp, "release-");
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                if (e.isFile()) {
                    Path target = dir.resolve(TarHeaders.relative(e.getName()));
                    Files.createDirectories(target.getParent());
                    Files.write(target, in.readAllBytes());
                }
            }
        }
        return dir;
    }

    private TarLayout layout(byte[] tar, int piece) throws IOException {
        TarLayout.Recorder recorder = new TarLayout.Recorder();
        for (int i = 0; i < tar.length; i += piece) {
            recorder.write(tar, i, Math.min(piece, tar.length - i));
        }
        Path file = tmp.resolve("layout-" + piece);
        recorder.finish("rel-1").write(file);
        return TarLayout.read(file);
    }

    @Test
    void theTarStreamIsReadBackByteForByteFromTheExtractedFiles() throws IOException {
        for (int mode : new int[] {TarArchiveOutputStream.LONGFILE_POSIX, TarArchiveOutputStream.LONGFILE_GNU}) {
            byte[] tar = tar(mode);
            Path dir = extract(tar);
            for (int piece : new int[] {1, 511, 777, 1 << 20}) {
                TarLayout layout = layout(tar, piece);
                assertThat(layout.releaseId).isEqualTo("rel-1");
                assertThat(layout.files).extracting(TarLayout.FileData::path)
                        .containsExactly("bin/app", "share/empty", LONG, "share/model.bin");
                try (TarLayout.Reader reader = layout.reader(dir)) {
                    assertThat(reader.read(0, tar.length)).as("mode %d, piece %d", mode, piece).isEqualTo(tar);
                    Random r = new Random(piece);
                    for (int i = 0; i < 50; i++) {
                        int from = r.nextInt(tar.length);
                        int length = r.nextInt(tar.length - from) + 1;
                        assertThat(reader.read(from, length)).isEqualTo(Arrays.copyOfRange(tar, from, from + length));
                    }
                }
            }
        }
    }

    @Test
    void aFileChangedOrRemovedOnTheRobotSpoilsOnlyTheRangesThatCoverIt() throws IOException {
        byte[] tar = tar(TarArchiveOutputStream.LONGFILE_POSIX);
        Path dir = extract(tar);
        TarLayout layout = layout(tar, 4096);
        TarLayout.FileData model = layout.files.get(3);
        Path modelFile = dir.resolve(model.path());
        byte[] changed = Files.readAllBytes(modelFile);
        changed[1000] ^= 1;
        Files.write(modelFile, changed);
        try (TarLayout.Reader reader = layout.reader(dir)) {
            int from = (int) model.offset();
            assertThat(reader.read(from, 2000)).isNotEqualTo(Arrays.copyOfRange(tar, from, from + 2000));
            assertThat(reader.read(0, from)).isEqualTo(Arrays.copyOf(tar, from)); // the caller checks each hash
        }
        Files.delete(modelFile);
        try (TarLayout.Reader reader = layout.reader(dir)) {
            assertThat(reader.read(model.offset() + 10, 100)).isNull();
            assertThat(reader.read(0, 100)).isEqualTo(Arrays.copyOf(tar, 100));
        }
        assertThat(TarHeaders.relative("../etc/passwd")).isNull();
        assertThat(TarHeaders.relative("./a//b/")).isEqualTo("a/b");
    }

    @Test
    void installedSeedsGiveTheChunksOfReleasesStillExtractedAndNeverOfTheOneBeingRebuilt() throws IOException {
        byte[] tar = tar(TarArchiveOutputStream.LONGFILE_POSIX);
        Path releases = Files.createDirectories(tmp.resolve("releases"));
        Path dir = extract(tar);
        Files.move(dir, releases.resolve("rel-1"));
        ChunkCache cache = new ChunkCache(tmp.resolve("cache"));
        java.util.List<dev.roboflare.protocol.ChunkIndex.Chunk> chunks = new java.util.ArrayList<>();
        for (int off = 0; off < tar.length; off += 65_536) {
            int size = Math.min(65_536, tar.length - off);
            chunks.add(new dev.roboflare.protocol.ChunkIndex.Chunk(
                    ChunkCache.sha256Of(Arrays.copyOfRange(tar, off, off + size), size), off, size));
        }
        var index = new dev.roboflare.protocol.ChunkIndex(dev.roboflare.protocol.ChunkIndex.Over.GUNZIPPED, 1, 65_536,
                65_536, tar.length, "0".repeat(64), chunks);
        String artifact = "a".repeat(64);
        cache.keepIndex(artifact, index.encode());
        TarLayout.Recorder recorder = new TarLayout.Recorder();
        recorder.write(tar, 0, tar.length);
        cache.keepLayout(artifact, recorder.finish("rel-1"));

        byte[] buf = new byte[65_536];
        try (InstalledSeeds seeds = InstalledSeeds.of(cache, releases, "b".repeat(64))) {
            assertThat(seeds.usedAny()).isFalse();
            for (var c : chunks) {
                assertThat(seeds.read(c.sha256(), buf)).isEqualTo(c.size());
                assertThat(ChunkCache.sha256Of(buf, c.size())).isEqualTo(c.sha256());
            }
            assertThat(seeds.usedAny()).isTrue();
            assertThat(seeds.read("f".repeat(64), buf)).isEqualTo(-1);
        }
        try (InstalledSeeds seeds = InstalledSeeds.of(cache, releases, artifact)) {
            assertThat(seeds.has(chunks.get(0).sha256())).as("the artifact being rebuilt").isFalse();
        }
        Files.delete(releases.resolve("rel-1").resolve("share/model.bin")); // a file gone: its chunks are not given
        try (InstalledSeeds seeds = InstalledSeeds.of(cache, releases, "b".repeat(64))) {
            var last = chunks.get(chunks.size() - 2);
            assertThat(seeds.read(last.sha256(), buf)).isEqualTo(-1);
            assertThat(seeds.read(chunks.get(0).sha256(), buf)).isEqualTo(chunks.get(0).size());
        }
    }
}
