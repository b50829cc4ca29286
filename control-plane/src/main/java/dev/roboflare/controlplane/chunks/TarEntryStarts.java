package dev.roboflare.controlplane.chunks;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;

/**
 * Notes where each entry of a tar stream starts while the stream is read, for {@link FastCdc} to cut there: a
 * changed file then changes only its own chunks, never a neighbour's (a blob chunker such as casync's spills the
 * change into the chunk after the file's end, tens of KiB on average). Reads ustar, GNU and pax headers by their
 * size field; at the first header whose checksum does not add up (not a tar, or the end-of-archive zeros) it stops
 * noting, and the chunker cuts by content alone from there.
 */
final class TarEntryStarts extends FilterInputStream implements FastCdc.Boundaries {
    private static final int BLOCK = 512;

    private final ArrayDeque<Long> starts = new ArrayDeque<>();
    private final byte[] header = new byte[BLOCK];
    private long pos;
    private long nextHeader;
    private boolean done;

    TarEntryStarts(InputStream in) {
        super(in);
    }

    @Override
    public long firstAfter(long offset) {
        while (!starts.isEmpty() && starts.peekFirst() <= offset) {
            starts.removeFirst();
        }
        return starts.isEmpty() ? -1 : starts.peekFirst();
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
            observe(b, off, n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        throw new IOException("TarEntryStarts must see every byte; read, do not skip");
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    private void observe(byte[] b, int off, int n) {
        long end = pos + n;
        while (!done && nextHeader < end) {
            long from = Math.max(pos, nextHeader);
            int have = (int) (from - nextHeader);
            int take = (int) Math.min(BLOCK - have, end - from);
            System.arraycopy(b, off + (int) (from - pos), header, have, take);
            if (have + take < BLOCK) {
                break; // the rest of this header comes with the next read
            }
            long dataSize = dataSize(header);
            if (dataSize < 0) {
                done = true;
                break;
            }
            starts.addLast(nextHeader);
            nextHeader += BLOCK + (dataSize + BLOCK - 1) / BLOCK * BLOCK;
        }
        pos = end;
    }

    /** The bytes of data after this header, or -1 when it is not a valid header. */
    static long dataSize(byte[] h) {
        long stored = octal(h, 148, 8);
        if (stored < 0) {
            return -1;
        }
        long sum = 0;
        for (int i = 0; i < BLOCK; i++) {
            sum += (i >= 148 && i < 156) ? ' ' : h[i] & 0xff;
        }
        if (sum != stored) {
            return -1;
        }
        byte type = h[156];
        if (type >= '1' && type <= '6') { // links, devices, directories, fifos carry no data
            return 0;
        }
        if ((h[124] & 0x80) != 0) { // GNU base-256 size, for files of 8 GiB and more
            long size = 0;
            for (int i = 125; i < 136; i++) {
                size = (size << 8) | (h[i] & 0xff);
            }
            return size < 0 ? -1 : size;
        }
        return octal(h, 124, 12);
    }

    /** An octal field padded with spaces or NULs, or -1. */
    private static long octal(byte[] h, int at, int len) {
        String s = new String(h, at, len, StandardCharsets.US_ASCII).replace('\0', ' ').trim();
        if (s.isEmpty() || s.length() > 21) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '7') {
                return -1;
            }
            v = v * 8 + (c - '0');
        }
        return v;
    }
}
