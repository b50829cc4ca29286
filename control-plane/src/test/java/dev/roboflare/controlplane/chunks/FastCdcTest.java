package dev.roboflare.controlplane.chunks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FastCdcTest {
    private static final FastCdc CDC = new FastCdc();

    /**
     * The paper's algorithm 1 written out over the whole content, one cut after another, with the normalized
     * chunking masks: the reference the streaming chunker must agree with.
     */
    private static List<Integer> referenceCuts(byte[] src) {
        long maskS = FastCdc.spreadMask(18);
        long maskL = FastCdc.spreadMask(14);
        List<Integer> lengths = new ArrayList<>();
        int pos = 0;
        while (pos < src.length) {
            int n = src.length - pos;
            int cut;
            if (n <= FastCdc.MIN) {
                cut = n;
            } else {
                if (n >= FastCdc.MAX) {
                    n = FastCdc.MAX;
                }
                int normal = Math.min(FastCdc.AVG, n);
                long fp = 0;
                int i = FastCdc.MIN;
                cut = -1;
                while (i < normal && cut < 0) {
                    fp = (fp << 1) + FastCdc.GEAR[src[pos + i] & 0xff];
                    if ((fp & maskS) == 0) {
                        cut = i;
                    }
                    i++;
                }
                while (i < n && cut < 0) {
                    fp = (fp << 1) + FastCdc.GEAR[src[pos + i] & 0xff];
                    if ((fp & maskL) == 0) {
                        cut = i;
                    }
                    i++;
                }
                if (cut < 0) {
                    cut = n;
                }
            }
            lengths.add(cut);
            pos += cut;
        }
        return lengths;
    }

    private static List<Integer> streamedCuts(byte[] src, int readSize) throws Exception {
        List<Integer> lengths = new ArrayList<>();
        var in = new java.io.InputStream() {
            int pos;

            @Override
            public int read() {
                return pos < src.length ? src[pos++] & 0xff : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (pos >= src.length) {
                    return -1;
                }
                int n = Math.min(Math.min(len, readSize), src.length - pos);
                System.arraycopy(src, pos, b, off, n);
                pos += n;
                return n;
            }
        };
        CDC.split(in, (buf, off, len) -> lengths.add(len));
        return lengths;
    }

    private static byte[] random(long seed, int size) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void streamingCutsAreThePapersCutsWhateverTheReadSizes() throws Exception {
        byte[] content = random(1, 5 * 1024 * 1024 + 12345);
        List<Integer> reference = referenceCuts(content);

        assertThat(streamedCuts(content, 1 << 16)).isEqualTo(reference);
        assertThat(streamedCuts(content, 1000)).isEqualTo(reference);
        assertThat(streamedCuts(content, 1 << 20)).isEqualTo(reference);
    }

    @Test
    void chunkSizesStayWithinMinAndMaxAndAverageNearTheTarget() {
        byte[] content = random(2, 16 * 1024 * 1024);
        List<Integer> cuts = referenceCuts(content);

        for (int i = 0; i < cuts.size() - 1; i++) {
            assertThat(cuts.get(i)).isBetween(FastCdc.MIN, FastCdc.MAX);
        }
        assertThat(cuts.get(cuts.size() - 1)).isBetween(1, FastCdc.MAX);
        assertThat(cuts.stream().mapToInt(Integer::intValue).sum()).isEqualTo(content.length);
        double mean = (double) content.length / cuts.size();
        assertThat(mean).as("normalized chunking keeps the mean near 64 KiB").isBetween(48.0 * 1024, 96.0 * 1024);
    }

    @Test
    void anInsertionChangesOnlyTheChunksAroundIt() {
        byte[] before = random(3, 8 * 1024 * 1024);
        int at = 3 * 1024 * 1024 + 777;
        byte[] inserted = random(4, 1000);
        byte[] after = new byte[before.length + inserted.length];
        System.arraycopy(before, 0, after, 0, at);
        System.arraycopy(inserted, 0, after, at, inserted.length);
        System.arraycopy(before, at, after, at + inserted.length, before.length - at);

        Set<String> old = chunkHashes(before);
        List<String> now = new ArrayList<>(chunkHashesInOrder(after));
        long changed = now.stream().filter(h -> !old.contains(h)).count();

        assertThat(now.size()).isGreaterThan(100);
        assertThat(changed).as("chunks of the new content that the old one did not have").isBetween(1L, 3L);
    }

    @Test
    void shortContentIsOneChunk() {
        assertThat(referenceCuts(random(5, 1000))).containsExactly(1000);
        assertThat(CDC.cut(new byte[FastCdc.MIN], 0, FastCdc.MIN)).isEqualTo(FastCdc.MIN);
    }

    private static Set<String> chunkHashes(byte[] content) {
        return new HashSet<>(chunkHashesInOrder(content));
    }

    private static List<String> chunkHashesInOrder(byte[] content) {
        List<String> out = new ArrayList<>();
        int pos = 0;
        for (int len : referenceCuts(content)) {
            out.add(java.util.HexFormat.of().formatHex(dev.roboflare.protocol.Sha256.newDigest()
                    .digest(java.util.Arrays.copyOfRange(content, pos, pos + len))));
            pos += len;
        }
        return out;
    }
}
