package dev.roboflare.protocol;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * How an artifact's content is cut into content-defined chunks (FastCDC), served at an artifact's {@code chunks_url}.
 * {@code over} says which bytes were cut: {@link Over#ARTIFACT} the stored bytes (content = the artifact, same sha256
 * and size), {@link Over#GUNZIPPED} the uncompressed stream of a gzipped app tarball (gzip destroys locality; the
 * agent rebuilds and installs that stream, checked against {@code contentSha256}/{@code contentSize}). Chunks are
 * listed in order; a chunk's offset is the sum of the sizes before it.
 *
 * <p>Binary, big-endian: {@code "RFCHUNK1"}, over (u8: 0 artifact, 1 gunzipped), min, avg, max (u32), content size
 * (u64), content sha256 (32 bytes), chunk count (u32), then per chunk its sha256 (32 bytes) and size (u32): 36 bytes
 * a chunk, about 0.06% of the content at a 64 KiB average.
 */
public record ChunkIndex(Over over, int minSize, int avgSize, int maxSize, long contentSize, String contentSha256,
                         List<Chunk> chunks) {
    public static final String MEDIA_TYPE = "application/vnd.roboflare.chunk-index";
    private static final byte[] MAGIC = "RFCHUNK1".getBytes(StandardCharsets.US_ASCII);
    /** No index needs more: 2^24 chunks of the smallest size is 256 GiB at 16 KiB. */
    private static final int MAX_CHUNKS = 1 << 24;
    private static final HexFormat HEX = HexFormat.of();

    public enum Over { ARTIFACT, GUNZIPPED }

    /** One chunk: its SHA-256 (lowercase hex), offset in the content and size. */
    public record Chunk(String sha256, long offset, int size) {
    }

    public ChunkIndex {
        chunks = List.copyOf(chunks);
    }

    public byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + chunks.size() * 36);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(MAGIC);
            out.writeByte(over.ordinal());
            out.writeInt(minSize);
            out.writeInt(avgSize);
            out.writeInt(maxSize);
            out.writeLong(contentSize);
            out.write(HEX.parseHex(contentSha256));
            out.writeInt(chunks.size());
            for (Chunk c : chunks) {
                out.write(HEX.parseHex(c.sha256()));
                out.writeInt(c.size());
            }
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory cannot fail", e);
        }
        return bytes.toByteArray();
    }

    /**
     * Reads and checks an index: magic, sizes within min/max (the last chunk may be smaller), sizes adding up to the
     * content size. Throws {@link IOException} saying what is wrong with it.
     */
    public static ChunkIndex decode(InputStream raw) throws IOException {
        DataInputStream in = new DataInputStream(raw);
        try {
            byte[] magic = in.readNBytes(MAGIC.length);
            if (!java.util.Arrays.equals(magic, MAGIC)) {
                throw new IOException("not a chunk index (no RFCHUNK1 header)");
            }
            int overByte = in.readUnsignedByte();
            if (overByte >= Over.values().length) {
                throw new IOException("chunk index covers unknown content kind " + overByte);
            }
            int min = in.readInt();
            int avg = in.readInt();
            int max = in.readInt();
            if (min <= 0 || min > avg || avg > max) {
                throw new IOException("chunk index sizes min " + min + ", avg " + avg + ", max " + max
                        + " are not 0 < min <= avg <= max");
            }
            long contentSize = in.readLong();
            byte[] digest = new byte[32];
            in.readFully(digest);
            String contentSha = HEX.formatHex(digest);
            int count = in.readInt();
            if (count < 0 || count > MAX_CHUNKS) {
                throw new IOException("chunk index lists " + Integer.toUnsignedString(count) + " chunks");
            }
            List<Chunk> chunks = new ArrayList<>(count);
            byte[] sha = new byte[32];
            long offset = 0;
            for (int i = 0; i < count; i++) {
                in.readFully(sha);
                int size = in.readInt();
                boolean last = i == count - 1;
                if (size <= 0 || size > max || (!last && size < min)) {
                    throw new IOException("chunk " + i + " has size " + size + ", outside " + min + ".." + max);
                }
                chunks.add(new Chunk(HEX.formatHex(sha), offset, size));
                offset += size;
            }
            if (offset != contentSize) {
                throw new IOException("chunk sizes add up to " + offset + " bytes, the index says " + contentSize);
            }
            if (in.read() != -1) {
                throw new IOException("chunk index has bytes after its last chunk");
            }
            return new ChunkIndex(Over.values()[overByte], min, avg, max, contentSize, contentSha, chunks);
        } catch (EOFException e) {
            throw new IOException("chunk index is cut short", e);
        }
    }
}
