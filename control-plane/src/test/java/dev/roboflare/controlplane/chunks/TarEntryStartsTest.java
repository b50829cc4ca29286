package dev.roboflare.controlplane.chunks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TarEntryStartsTest {
    private static final FastCdc CDC = new FastCdc();

    /** A ustar stream of the given files (name → content) in order, with the end-of-archive blocks. */
    static byte[] tar(Map<String, byte[]> files) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            byte[] h = new byte[512];
            put(h, 0, f.getKey());
            put(h, 100, "0000644\0");
            put(h, 108, "0000000\0");
            put(h, 116, "0000000\0");
            put(h, 124, String.format("%011o\0", f.getValue().length));
            put(h, 136, "14760000000\0");
            put(h, 148, "        ");
            h[156] = '0';
            put(h, 257, "ustar\0" + "00");
            int sum = 0;
            for (byte b : h) {
                sum += b & 0xff;
            }
            put(h, 148, String.format("%06o\0 ", sum));
            out.writeBytes(h);
            out.writeBytes(f.getValue());
            out.writeBytes(new byte[(512 - f.getValue().length % 512) % 512]);
        }
        out.writeBytes(new byte[1024]);
        return out.toByteArray();
    }

    private static void put(byte[] h, int at, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, at, b.length);
    }

    private static byte[] random(Random r, int size) {
        byte[] b = new byte[size];
        r.nextBytes(b);
        return b;
    }

    /** Chunk (sha256 → size) of a tar cut with its entry starts as preferred cuts, read {@code readSize} at a time. */
    private static List<String[]> chunks(byte[] content, boolean tarAware, int readSize) throws Exception {
        List<String[]> out = new ArrayList<>();
        InputStream raw = new ByteArrayInputStream(content) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, readSize));
            }
        };
        TarEntryStarts entries = new TarEntryStarts(raw);
        CDC.split(tarAware ? entries : raw, (buf, off, len) -> out.add(new String[] {
                dev.roboflare.protocol.Sha256.hex(java.util.Arrays.copyOfRange(buf, off, off + len)),
                String.valueOf(len)}), tarAware ? entries : FastCdc.Boundaries.NONE);
        return out;
    }

    private static long newBytes(List<String[]> before, List<String[]> after) {
        Set<String> had = new HashSet<>();
        before.forEach(c -> had.add(c[0]));
        long bytes = 0;
        for (String[] c : after) {
            if (!had.contains(c[0])) {
                bytes += Integer.parseInt(c[1]);
            }
        }
        return bytes;
    }

    @Test
    void aChangedFileChangesOnlyItsOwnEntryAndTheCutsStayWithinMinAndMax() throws Exception {
        for (int seed = 0; seed < 8; seed++) {
            Random r = new Random(seed);
            Map<String, byte[]> v1 = new LinkedHashMap<>();
            v1.put("bin/app", random(r, 700));
            v1.put("share/calibration.bin", random(r, 300_000 + r.nextInt(200_000)));
            v1.put("share/model.bin", random(r, 900_000 + r.nextInt(300_000)));
            Map<String, byte[]> v2 = new LinkedHashMap<>(v1);
            v1.put("share/notes.txt", random(r, 40_000));
            v2.put("share/notes.txt", random(r, 40_000));
            byte[] calibration = random(r, 250_000);
            v2.put("share/calibration.bin", calibration);

            List<String[]> before = chunks(tar(v1), true, 1 << 20);
            List<String[]> after = chunks(tar(v2), true, 1 << 20);
            // the calibration's entry starts too close to the start (less than 16 KiB) to be cut at, so besides
            // the two changed files (and the end-of-archive blocks after the last) only the bytes before the
            // calibration may be fetched again: never a byte of the model
            long changed = 512 + 40_000 + 512 + calibration.length + 512 + 512 + 1024;
            assertThat(newBytes(before, after)).as("seed %d", seed).isLessThanOrEqualTo(changed + 2048);
            for (int i = 0; i < after.size() - 1; i++) {
                assertThat(Integer.parseInt(after.get(i)[1])).isBetween(FastCdc.MIN, FastCdc.MAX);
            }
            // the cuts do not depend on how the stream is read
            assertThat(chunks(tar(v2), true, 777)).usingRecursiveComparison().isEqualTo(after);
        }
    }

    @Test
    void aBlobChunkerSpillsTheChangeIntoTheNextFileWhereTheTarAwareOneDoesNot() throws Exception {
        long blobSpill = 0;
        long tarSpill = 0;
        for (int seed = 0; seed < 20; seed++) {
            Random r = new Random(100 + seed);
            Map<String, byte[]> v1 = new LinkedHashMap<>();
            v1.put("a.bin", random(r, 200_000 + r.nextInt(100_000)));
            v1.put("b.bin", random(r, 200_000 + r.nextInt(100_000)));
            v1.put("c.bin", random(r, 600_000));
            Map<String, byte[]> v2 = new LinkedHashMap<>(v1);
            v2.put("b.bin", random(r, v1.get("b.bin").length));
            long entry = 512 + (v1.get("b.bin").length + 511) / 512 * 512;
            blobSpill += newBytes(chunks(tar(v1), false, 1 << 20), chunks(tar(v2), false, 1 << 20)) - entry;
            long tarNew = newBytes(chunks(tar(v1), true, 1 << 20), chunks(tar(v2), true, 1 << 20));
            assertThat(tarNew).as("seed %d: exactly b.bin's header and data", seed).isEqualTo(entry);
            tarSpill += tarNew - entry;
        }
        assertThat(tarSpill).isZero();
        assertThat(blobSpill).isPositive();
    }

    @Test
    void anEntryTooCloseToCutAtDoesNotHideTheNextOne() throws Exception {
        for (int seed = 0; seed < 8; seed++) {
            Random r = new Random(200 + seed);
            Map<String, byte[]> v1 = new LinkedHashMap<>();
            v1.put("a.bin", random(r, 20_000));
            v1.put("tiny", random(r, 100)); // starts a chunk, and the next entry is 1 KiB after it
            v1.put("b.bin", random(r, 30_000));
            v1.put("c.bin", random(r, 200_000));
            Map<String, byte[]> v2 = new LinkedHashMap<>(v1);
            v2.put("c.bin", random(r, 200_000));
            long entry = 512 + 200_192;
            assertThat(newBytes(chunks(tar(v1), true, 1 << 20), chunks(tar(v2), true, 1 << 20)))
                    .as("seed %d: c.bin's entry and the end-of-archive blocks after it", seed)
                    .isEqualTo(entry + 1024);
        }
    }

    @Test
    void notATarCutsByContentAlone() throws Exception {
        byte[] blob = random(new Random(7), 2_000_000);
        assertThat(chunks(blob, true, 1 << 20)).usingRecursiveComparison().isEqualTo(chunks(blob, false, 1 << 20));
    }

    @Test
    void readsTheSizeOfAHeader() {
        byte[] t = tar(Map.of("x", new byte[1234]));
        assertThat(dev.roboflare.protocol.TarHeaders.dataSize(java.util.Arrays.copyOf(t, 512))).isEqualTo(1234);
        t[0] ^= 1; // the checksum no longer adds up
        assertThat(dev.roboflare.protocol.TarHeaders.dataSize(java.util.Arrays.copyOf(t, 512))).isEqualTo(-1);
        assertThat(dev.roboflare.protocol.TarHeaders.dataSize(new byte[512])).isEqualTo(-1);
    }
}
