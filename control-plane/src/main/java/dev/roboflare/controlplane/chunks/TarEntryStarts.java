package dev.roboflare.controlplane.chunks;

import dev.roboflare.protocol.TarHeaders;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
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
            long dataSize = TarHeaders.dataSize(header);
            if (dataSize < 0) {
                done = true;
                break;
            }
            starts.addLast(nextHeader);
            nextHeader += BLOCK + (dataSize + BLOCK - 1) / BLOCK * BLOCK;
        }
        pos = end;
    }
}
