package dev.roboflare.controlplane.api;

import dev.roboflare.protocol.ApiRoutes;
import dev.roboflare.controlplane.RequestRejected;
import dev.roboflare.controlplane.artifacts.ArtifactCatalog;
import dev.roboflare.controlplane.artifacts.ArtifactStore;
import dev.roboflare.controlplane.auth.DownloadSigner;
import dev.roboflare.controlplane.fleet.Names;
import dev.roboflare.controlplane.http.HeadAsGet;
import dev.roboflare.controlplane.trust.OperatorTokens;
import dev.roboflare.protocol.ArtifactKind;
import dev.roboflare.protocol.OperatorApi.Artifact;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Artifact upload and lookup (operator) and the signed download (no bearer token). Bodies are streamed both
 * ways: the upload reads the raw servlet stream, never ctx.body(), so Javalin neither caches it nor applies
 * its 1 MB maxRequestSize; the download copies the file in 64 KiB chunks.
 */
final class ArtifactRoutes {
    private static final Logger log = LoggerFactory.getLogger(ArtifactRoutes.class);
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d*)");

    private final ArtifactCatalog catalog;
    private final ArtifactStore store;
    private final SignedUrls downloadUrls;

    ArtifactRoutes(ArtifactCatalog catalog, ArtifactStore store, DownloadSigner signer, Clock clock) {
        this.catalog = catalog;
        this.store = store;
        this.downloadUrls = new SignedUrls("download", signer, clock);
    }

    void register(Javalin app, OperatorAuth operator) {
        app.post(ApiRoutes.ARTIFACTS, operator.require(this::upload));
        app.get(ApiRoutes.ARTIFACTS, operator.require((ctx, op) -> ctx.json(catalog.list(op.org()))));
        app.get(ApiRoutes.ARTIFACT, operator.require((ctx, op) ->
                ctx.json(catalog.get(op.org(), ctx.pathParam("id")))));
        app.get(ApiRoutes.ARTIFACT_DOWNLOAD, this::download);
    }

    private void upload(Context ctx, OperatorTokens.Grant op) throws IOException {
        ArtifactKind kind = kind(ctx.queryParam("kind"));
        String name = ctx.queryParam("name");
        if (name == null || name.isBlank()) {
            throw RequestRejected.badRequest("query parameter name is required: the application's name, e.g. "
                    + "POST /api/artifacts?kind=app_tarball&name=arm-controller");
        }
        if (name.length() > 200) {
            throw RequestRejected.badRequest("name is " + name.length() + " characters; use at most 200");
        }
        Names.rejectControl(name, "artifact");
        if (ctx.req().getContentLengthLong() == 0) {
            throw RequestRejected.badRequest("the request body is empty; send the artifact's bytes as the raw body, "
                    + "e.g. curl --data-binary @app.tar.gz");
        }
        ArtifactCatalog.Upload upload = catalog.upload(op.org(), kind, name.trim(), ctx.req().getContentLengthLong(),
                new UploadStream(ctx.req().getInputStream()));
        ctx.status(upload.created() ? 201 : 200).json(upload.artifact());
    }

    private static ArtifactKind kind(String value) {
        if (value == null || value.isBlank()) {
            throw RequestRejected.badRequest("query parameter kind is required: one of app_tarball, "
                    + "container_image, mcu_firmware, full_image_ab");
        }
        try {
            return ArtifactKind.fromWire(value);
        } catch (IllegalArgumentException e) {
            throw RequestRejected.badRequest("query parameter kind: " + e.getMessage());
        }
    }

    private void download(Context ctx) throws IOException {
        String id = ctx.pathParam("id");
        downloadUrls.verify(ctx, id);
        Artifact artifact = catalog.find(id).orElseThrow(() -> RequestRejected.notFound("no artifact '" + id + "'"));
        String direct = store.directDownloadUrl(artifact.sha256());
        if (direct != null) { // bytes in S3: a valid control-plane URL leads to a fresh presigned one
            ctx.redirect(direct, io.javalin.http.HttpStatus.TEMPORARY_REDIRECT);
            return;
        }
        Path file = store.find(artifact.sha256());
        if (file == null) {
            throw new IllegalStateException("blob " + artifact.sha256() + " of artifact " + id + " is missing from "
                    + store);
        }
        long size = Files.size(file);
        long start = 0;
        long end = size - 1;
        boolean partial = false;
        String range = ctx.header("Range");
        if (range != null) {
            Matcher m = RANGE.matcher(range.trim());
            // Only one "bytes=N-" or "bytes=N-M" range is honoured; other forms get the whole file (RFC 9110 allows that).
            if (m.matches()) {
                // Digits past Long.MAX_VALUE: a start that far is past the end (416); an end that far means the end.
                start = parseOr(m.group(1), Long.MAX_VALUE);
                if (!m.group(2).isEmpty()) {
                    end = Math.min(parseOr(m.group(2), Long.MAX_VALUE), size - 1);
                }
                if (start >= size || end < start) {
                    ctx.header("Content-Range", "bytes */" + size);
                    throw new RequestRejected(416, "range '" + range + "' is outside the artifact's " + size
                            + " bytes; to resume, ask for bytes=<bytes you already have>-");
                }
                partial = true;
            }
        }
        long length = end - start + 1;
        ctx.status(partial ? 206 : 200);
        ctx.contentType("application/octet-stream");
        ctx.header("Accept-Ranges", "bytes");
        ctx.header("ETag", "\"" + artifact.sha256() + "\"");
        if (partial) {
            ctx.header("Content-Range", "bytes " + start + "-" + end + "/" + size);
        }
        ctx.res().setContentLengthLong(length);
        if (HeadAsGet.isHead(ctx.req())) {
            return; // the headers above are the whole answer
        }
        try (FileChannel in = FileChannel.open(file); OutputStream out = ctx.res().getOutputStream()) {
            copy(in, start, length, out);
        }
        log.info("artifact {} sent: bytes {}-{} of {}", id, start, end, size);
    }

    private static long parseOr(String digits, long tooLarge) {
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            return tooLarge;
        }
    }

    /**
     * A download must be read at {@link #MIN_READ_RATE} bytes a second on average once its first 10 s have passed;
     * a slower reader is cut off, so it cannot keep one of the capped download slots for hours. (Jetty's own minimum
     * response rate also counts the time the server takes to finish small responses, and cut polls on a busy host.)
     */
    static final long MIN_READ_RATE = 1024;

    private static void copy(FileChannel in, long start, long length, OutputStream out) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        long position = start;
        long remaining = length;
        long startNanos = System.nanoTime();
        while (remaining > 0) {
            long graceOverMs = (System.nanoTime() - startNanos) / 1_000_000 - 10_000;
            if (graceOverMs > 0 && position - start < MIN_READ_RATE * graceOverMs / 1000) {
                throw new IOException("the client reads the download at under " + MIN_READ_RATE + " B/s",
                        new java.util.concurrent.TimeoutException()); // Problems: 408, not logged as an error
            }
            buf.clear();
            if (remaining < buf.capacity()) {
                buf.limit((int) remaining);
            }
            int n = in.read(buf, position);
            if (n < 0) {
                throw new IOException("artifact file shrank while sending it");
            }
            out.write(buf.array(), 0, n);
            position += n;
            remaining -= n;
        }
    }

    /** Turns a connection that dies mid-upload into a 400 the client can act on, instead of a 500. */
    private static final class UploadStream extends FilterInputStream {
        private long received;

        UploadStream(InputStream in) {
            super(in);
        }

        @Override
        public int read(byte[] b, int off, int len) {
            try {
                int n = super.read(b, off, len);
                if (n > 0) {
                    received += n;
                }
                return n;
            } catch (IOException e) {
                throw RequestRejected.badRequest("the upload was cut off after " + received + " bytes ("
                        + e.getMessage() + "); nothing was stored, send the whole artifact again");
            }
        }
    }
}
