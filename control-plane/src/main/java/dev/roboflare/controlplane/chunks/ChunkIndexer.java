package dev.roboflare.controlplane.chunks;

import dev.roboflare.protocol.Sha256;
import dev.roboflare.protocol.ArtifactKind;
import dev.roboflare.protocol.ChunkIndex;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cuts a stored artifact into FastCDC chunks right after its upload, stores the chunks it does not have yet and the
 * artifact's {@link ChunkIndex}. A gzipped app tarball is cut over its uncompressed tar stream (a changed file then
 * changes only its own chunks; in gzip it changes everything after it). Indexing is best effort: an artifact
 * without an index is still served whole, as before.
 */
public final class ChunkIndexer {
    private static final Logger log = LoggerFactory.getLogger(ChunkIndexer.class);

    private final ChunkStore chunks;
    private final FastCdc cdc;

    public ChunkIndexer(ChunkStore chunks) {
        this(chunks, new FastCdc());
    }

    ChunkIndexer(ChunkStore chunks, FastCdc cdc) {
        this.chunks = chunks;
        this.cdc = cdc;
    }

    /** Indexes the stored blob unless it has an index already; logs and returns null when it cannot. */
    public ChunkIndex ensureIndexed(String artifactId, ArtifactKind kind, String sha256) {
        try {
            if (chunks.hasIndex(sha256)) {
                return chunks.index(sha256);
            }
            long started = System.nanoTime();
            ChunkIndex index;
            try (InputStream raw = new BufferedInputStream(chunks.blob(sha256).open(), 1 << 16)) {
                boolean gunzip = kind == ArtifactKind.APP_TARBALL && gzipped(raw);
                InputStream content = gunzip ? new GZIPInputStream(raw, 1 << 16) : raw;
                index = cut(content, gunzip ? ChunkIndex.Over.GUNZIPPED : ChunkIndex.Over.ARTIFACT,
                        kind == ArtifactKind.APP_TARBALL);
            }
            chunks.putIndex(sha256, index);
            log.info("artifact {} chunked: over={} chunks={} content_size={} content_sha256={} in {} ms", artifactId,
                    index.over().name().toLowerCase(java.util.Locale.ROOT), index.chunks().size(),
                    index.contentSize(), index.contentSha256(), (System.nanoTime() - started) / 1_000_000);
            return index;
        } catch (IOException | RuntimeException e) {
            log.warn("artifact {} not chunked ({}); robots download it whole", artifactId, e.getMessage());
            return null;
        }
    }

    private static boolean gzipped(InputStream in) throws IOException {
        in.mark(2);
        int a = in.read();
        int b = in.read();
        in.reset();
        return a == 0x1f && b == 0x8b;
    }

    /**
     * Cuts {@code in} into chunks, storing the new ones; the whole content is hashed on the way. A tar stream is cut
     * at the start of its entries too where the sizes allow ({@link TarEntryStarts}).
     */
    ChunkIndex cut(InputStream in, ChunkIndex.Over over, boolean tar) throws IOException {
        TarEntryStarts entries = tar ? new TarEntryStarts(in) : null;
        MessageDigest whole = Sha256.newDigest();
        List<ChunkIndex.Chunk> list = new ArrayList<>();
        long[] offset = {0};
        cdc.split(tar ? entries : in, (buf, off, len) -> {
            whole.update(buf, off, len);
            byte[] data = Arrays.copyOfRange(buf, off, off + len);
            String sha = Sha256.hex(data);
            if (!chunks.hasChunk(sha)) {
                chunks.putChunk(sha, data);
            }
            list.add(new ChunkIndex.Chunk(sha, offset[0], len));
            offset[0] += len;
        }, tar ? entries : FastCdc.Boundaries.NONE);
        return new ChunkIndex(over, cdc.min(), cdc.avg(), cdc.max(), offset[0],
                Sha256.hex(whole), list);
    }
}
