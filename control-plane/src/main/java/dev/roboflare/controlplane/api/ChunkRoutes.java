package dev.roboflare.controlplane.api;

import dev.roboflare.controlplane.RequestRejected;
import dev.roboflare.controlplane.artifacts.ArtifactCatalog;
import dev.roboflare.controlplane.auth.DownloadSigner;
import dev.roboflare.controlplane.chunks.ChunkStore;
import dev.roboflare.protocol.ApiRoutes;
import dev.roboflare.protocol.ChunkIndex;
import dev.roboflare.protocol.OperatorApi.Artifact;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.DataOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delta downloads, under the signed {@code chunks_url} of an artifact (no bearer token, like the download):
 * {@code GET} answers the artifact's {@link ChunkIndex}, {@code POST} with up to {@value #MAX_BATCH} chunk hashes
 * (one hex digest a line, all from that index) answers those chunks in that order, each as a 4-byte big-endian
 * length and its bytes, gzipped when the robot accepts it. The robot checks each chunk's SHA-256 itself.
 */
final class ChunkRoutes {
    static final int MAX_BATCH = 256;
    private static final Logger log = LoggerFactory.getLogger(ChunkRoutes.class);

    private final ArtifactCatalog catalog;
    private final ChunkStore chunks;
    private final SignedUrls chunkUrls;

    ChunkRoutes(ArtifactCatalog catalog, ChunkStore chunks, DownloadSigner signer, Clock clock) {
        this.catalog = catalog;
        this.chunks = chunks;
        this.chunkUrls = new SignedUrls("chunks", signer, clock);
    }

    /** What the signature of a chunks URL covers (not the download's message: each URL grants only its own use). */
    static String signedName(String artifactId) {
        return artifactId + "/chunks";
    }

    void register(Javalin app, OperatorAuth operator) {
        app.get(ApiRoutes.ARTIFACT_CHUNKS, this::index);
        app.post(ApiRoutes.ARTIFACT_CHUNKS, this::batch);
        app.get(ApiRoutes.ARTIFACT_CONTENT, operator.require(this::content));
    }

    private void content(Context ctx, dev.roboflare.controlplane.trust.OperatorTokens.Grant op) throws IOException {
        Artifact artifact = catalog.get(op.org(), ctx.pathParam("id"));
        ChunkIndex index = chunks.index(artifact.sha256());
        if (index == null) {
            throw RequestRejected.notFound("artifact " + artifact.id() + " has no chunk index (uploaded before delta "
                    + "downloads, or it could not be read); robots download it whole");
        }
        ctx.json(new dev.roboflare.protocol.OperatorApi.ArtifactContent(artifact.id(),
                index.over().name().toLowerCase(java.util.Locale.ROOT), index.contentSha256(), index.contentSize(),
                index.chunks().size()));
    }

    private void index(Context ctx) throws IOException {
        Artifact artifact = signedArtifact(ctx);
        byte[] index = chunks.indexBytes(artifact.sha256());
        if (index == null) {
            throw RequestRejected.notFound("artifact " + artifact.id() + " has no chunk index (uploaded before delta "
                    + "downloads); download it whole from its download_url");
        }
        ctx.contentType(ChunkIndex.MEDIA_TYPE);
        ctx.res().setContentLength(index.length);
        try (OutputStream out = ctx.res().getOutputStream()) {
            out.write(index);
        }
        log.info("artifact {} chunk index sent: {} bytes", artifact.id(), index.length);
    }

    private void batch(Context ctx) throws IOException {
        Artifact artifact = signedArtifact(ctx);
        ChunkIndex index = chunks.index(artifact.sha256());
        if (index == null) {
            throw RequestRejected.notFound("artifact " + artifact.id() + " has no chunk index; download it whole");
        }
        List<String> wanted = wanted(ctx.body(), index, artifact.id());
        boolean gzip = String.valueOf(ctx.header("Accept-Encoding")).contains("gzip");
        ctx.contentType("application/octet-stream");
        if (gzip) {
            ctx.header("Content-Encoding", "gzip");
        }
        long raw = 0;
        int missing = 0;
        CountingStream wire = new CountingStream(ctx.res().getOutputStream());
        try (DataOutputStream out = new DataOutputStream(gzip ? new FastGzip(wire) : wire)) {
            for (String sha : wanted) {
                byte[] data = chunks.chunk(sha);
                if (data == null) { // an empty frame: the robot sees a wrong size and falls back to the whole file
                    missing++;
                    out.writeInt(0);
                    continue;
                }
                out.writeInt(data.length);
                out.write(data);
                raw += data.length;
            }
        }
        if (missing > 0) {
            log.error("artifact {}: {} of {} requested chunks are missing from the store; the robot will download "
                    + "the artifact whole", artifact.id(), missing, wanted.size());
        }
        log.info("artifact {} chunks sent: chunks={} bytes={} wire_bytes={}", artifact.id(), wanted.size(), raw,
                wire.count);
    }

    private static List<String> wanted(String body, ChunkIndex index, String artifactId) {
        Set<String> inIndex = new HashSet<>();
        index.chunks().forEach(c -> inIndex.add(c.sha256()));
        List<String> wanted = new ArrayList<>();
        for (String line : body.split("\n")) {
            String sha = line.trim();
            if (sha.isEmpty()) {
                continue;
            }
            if (!inIndex.contains(sha)) {
                throw RequestRejected.badRequest("chunk '" + sha + "' is not in the chunk index of artifact "
                        + artifactId + "; ask only for hashes listed by GET on the same chunks_url");
            }
            wanted.add(sha);
        }
        if (wanted.isEmpty() || wanted.size() > MAX_BATCH) {
            throw RequestRejected.badRequest("send 1 to " + MAX_BATCH + " chunk hashes, one per line; got "
                    + wanted.size());
        }
        return wanted;
    }

    private Artifact signedArtifact(Context ctx) {
        String id = ctx.pathParam("id");
        chunkUrls.verify(ctx, signedName(id));
        return catalog.find(id).orElseThrow(() -> RequestRejected.notFound("no artifact '" + id + "'"));
    }

    /** zlib's default level: on text it sends less than casync's per-chunk zstd (level 1 sends more), and on
     * incompressible bytes it costs no more CPU than level 1. */
    private static final class FastGzip extends GZIPOutputStream {
        FastGzip(OutputStream out) throws IOException {
            super(out, 64 * 1024);
            def.setLevel(Deflater.DEFAULT_COMPRESSION);
        }
    }

    private static final class CountingStream extends FilterOutputStream {
        long count;

        CountingStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }
    }
}
