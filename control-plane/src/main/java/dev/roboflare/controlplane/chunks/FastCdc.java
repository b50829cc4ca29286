package dev.roboflare.controlplane.chunks;

import dev.roboflare.protocol.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * FastCDC content-defined chunking (Xia et al., USENIX ATC 2016, algorithm 1 with normalized chunking level 2): a
 * gear rolling hash from the minimum size on, a cut where {@code hash & mask == 0}, a harder mask (avg bits + 2)
 * before the average size and an easier one (avg bits - 2) after it, a forced cut at the maximum. An insertion moves
 * only the cuts next to it, so two releases that differ in one file share all other chunks.
 *
 * <p>The gear table is the first 8 bytes of SHA-256("roboflare-fastcdc-gear/" + i): fixed, so every control plane
 * cuts the same bytes the same way (the chunk store is shared across artifacts). Mask bits are spread over the top 48
 * bits of the hash, where each bit depends on a window of 16 to 64 bytes.
 */
public final class FastCdc {
    public static final int MIN = 16 * 1024;
    public static final int AVG = 64 * 1024;
    public static final int MAX = 256 * 1024;
    static final long[] GEAR = gearTable();

    private final int min;
    private final int avg;
    private final int max;
    private final long maskS;
    private final long maskL;

    public FastCdc() {
        this(MIN, AVG, MAX);
    }

    FastCdc(int min, int avg, int max) {
        if (min <= 0 || min > avg || avg > max || Integer.bitCount(avg) != 1) {
            throw new IllegalArgumentException("chunk sizes must be 0 < min <= avg <= max with avg a power of two");
        }
        this.min = min;
        this.avg = avg;
        this.max = max;
        int bits = Integer.numberOfTrailingZeros(avg);
        this.maskS = spreadMask(bits + 2);
        this.maskL = spreadMask(bits - 2);
    }

    public int min() {
        return min;
    }

    public int avg() {
        return avg;
    }

    public int max() {
        return max;
    }

    /**
     * The length of the chunk that starts at {@code buf[off]}, given {@code len} readable bytes: the whole rest when
     * it is {@code len <= min} (only at the end of the content), at most {@code max}. Callers keep at least
     * {@code max} bytes readable until the content ends, so cuts never depend on how the stream was read.
     */
    public int cut(byte[] buf, int off, int len) {
        return cut(buf, off, len, -1);
    }

    /**
     * {@link #cut(byte[], int, int)} with a preferred cut {@code boundary} bytes ahead (-1: none): when it lies
     * within {@code min..max}, the chunk ends there at the latest, and a content cut less than {@code min} before it
     * is passed over, so that the chunk after the boundary can start exactly on it.
     */
    int cut(byte[] buf, int off, int len, int boundary) {
        if (len <= min) {
            return len;
        }
        int n = Math.min(len, max);
        int lastHit = Integer.MAX_VALUE;
        if (boundary >= min && boundary <= n) {
            n = boundary;
            lastHit = boundary - min;
        }
        int normal = Math.min(n, avg);
        long fp = 0;
        int i = min;
        for (; i < normal; i++) {
            fp = (fp << 1) + GEAR[buf[off + i] & 0xff];
            if ((fp & maskS) == 0 && i <= lastHit) {
                return i;
            }
        }
        for (; i < n; i++) {
            fp = (fp << 1) + GEAR[buf[off + i] & 0xff];
            if ((fp & maskL) == 0 && i <= lastHit) {
                return i;
            }
        }
        return n;
    }

    /** Where the content prefers cuts (the start of each tar entry), learnt as the stream is read. */
    interface Boundaries {
        Boundaries NONE = offset -> -1;

        /** The first preferred cut after {@code offset}, or -1; offsets asked for never decrease. */
        long firstAfter(long offset);
    }

    /** Receives each chunk in order; {@code buf} is reused after the call returns. */
    public interface Sink {
        void chunk(byte[] buf, int off, int len) throws IOException;
    }

    /**
     * Cuts a stream into chunks, keeping {@code max} bytes ahead of each cut so the cuts are the same however the
     * stream delivers its bytes.
     */
    public void split(InputStream in, Sink sink) throws IOException {
        split(in, sink, Boundaries.NONE);
    }

    /**
     * {@link #split(InputStream, Sink)} cutting at {@code boundaries} too where the sizes allow (they are learnt
     * from the bytes already read, and the reads stay {@code max} bytes ahead, so they are known in time).
     */
    void split(InputStream in, Sink sink, Boundaries boundaries) throws IOException {
        long consumed = 0;
        byte[] buf = new byte[2 * max];
        int start = 0;
        int end = 0;
        boolean eof = false;
        while (true) {
            if (!eof && end - start < max) {
                System.arraycopy(buf, start, buf, 0, end - start);
                end -= start;
                start = 0;
                int n = 0;
                while (end < buf.length && (n = in.read(buf, end, buf.length - end)) >= 0) {
                    end += n;
                }
                eof = n < 0;
            }
            if (start == end) {
                return;
            }
            // the first boundary this chunk could end on: those closer than min to its start never can, and no
            // later chunk starts before start + min either
            long b = boundaries.firstAfter(consumed + min - 1);
            int ahead = b < 0 || b - consumed > max ? -1 : (int) (b - consumed);
            int len = cut(buf, start, end - start, ahead);
            sink.chunk(buf, start, len);
            start += len;
            consumed += len;
        }
    }

    /** {@code bits} one-bits spread evenly over bits 63 down to 16. */
    static long spreadMask(int bits) {
        long mask = 0;
        double step = 48.0 / bits;
        for (int k = 0; k < bits; k++) {
            mask |= 1L << (63 - (int) Math.floor(k * step));
        }
        return mask;
    }

    private static long[] gearTable() {
        long[] table = new long[256];
        for (int i = 0; i < 256; i++) {
            byte[] d = Sha256.newDigest().digest(("roboflare-fastcdc-gear/" + i).getBytes(
                    java.nio.charset.StandardCharsets.US_ASCII));
            table[i] = ByteBuffer.wrap(d).getLong();
        }
        return table;
    }
}
