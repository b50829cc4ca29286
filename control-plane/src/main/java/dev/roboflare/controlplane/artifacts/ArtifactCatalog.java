package dev.roboflare.controlplane.artifacts;

import dev.roboflare.controlplane.Ids;
import dev.roboflare.controlplane.LogText;
import dev.roboflare.controlplane.RequestRejected;
import dev.roboflare.controlplane.chunks.ChunkIndexer;
import dev.roboflare.controlplane.storage.ArtifactRows;
import dev.roboflare.controlplane.storage.OrganisationRows;
import dev.roboflare.controlplane.storage.StorageException;
import dev.roboflare.controlplane.storage.Transactor;
import dev.roboflare.protocol.ArtifactKind;
import dev.roboflare.protocol.ByteSizes;
import dev.roboflare.protocol.OperatorApi.Artifact;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Uploads and lookups of artifacts. The same bytes uploaded again with the same kind and name return the
 * existing artifact; the same bytes under another name, or by another organisation, get a new row that shares the
 * stored blob, so no organisation learns what another one uploaded.
 */
public final class ArtifactCatalog {
    private static final Logger log = LoggerFactory.getLogger(ArtifactCatalog.class);

    private final ArtifactStore store;
    private final Transactor db;
    private final ArtifactRows artifacts = new ArtifactRows();
    private final OrganisationRows organisations = new OrganisationRows();
    private final Clock clock;
    private final long maxArtifactSize;
    private final ChunkIndexer chunkIndexer;

    public ArtifactCatalog(ArtifactStore store, Transactor db, Clock clock, long maxArtifactSize) {
        this(store, db, clock, maxArtifactSize, null);
    }

    /** {@code chunkIndexer} (nullable: no delta downloads) cuts each new blob into chunks after its upload. */
    public ArtifactCatalog(ArtifactStore store, Transactor db, Clock clock, long maxArtifactSize,
                           ChunkIndexer chunkIndexer) {
        this.store = store;
        this.db = db;
        this.clock = clock;
        this.maxArtifactSize = maxArtifactSize;
        this.chunkIndexer = chunkIndexer;
    }

    public record Upload(Artifact artifact, boolean created) {
    }

    /**
     * {@code declaredSize} is the request's Content-Length (-1: unknown, e.g. chunked). Over --max-artifact-size or
     * the organisation's quota the upload is refused (413) before a byte is read when the size is declared, and
     * otherwise as soon as the bytes pass the limit; the partial file is deleted either way, and a refused upload
     * is never cut into chunks (the index is made only once the blob is stored and recorded).
     */
    public Upload upload(String org, ArtifactKind kind, String name, long declaredSize, InputStream body)
            throws IOException {
        Upload upload = store(org, kind, name, declaredSize, body);
        if (chunkIndexer != null) {
            chunkIndexer.ensureIndexed(upload.artifact().id(), kind, upload.artifact().sha256());
        }
        return upload;
    }

    private Upload store(String org, ArtifactKind kind, String name, long declaredSize, InputStream body)
            throws IOException {
        UploadLimit limit = uploadLimit(org);
        limit.check(declaredSize);
        ArtifactStore.StoredBlob blob = store.put(new LimitedStream(body, limit));
        if (blob.size() == 0) {
            throw RequestRejected.badRequest("the request body is empty; send the artifact's bytes as the raw body, "
                    + "e.g. curl --data-binary @app.tar.gz");
        }
        try {
            return db.inTransaction(c -> {
                Optional<Artifact> same = artifacts.findSameBytes(c, org, kind, name, blob.sha256());
                if (same.isPresent()) {
                    return new Upload(same.get(), false);
                }
                Artifact a = new Artifact(Ids.newId(), kind, name, blob.sha256(), blob.size(), clock.instant());
                artifacts.insert(c, org, a, blob.storageUrl());
                log.info("artifact {} stored: org={} kind={} name={} sha256={} size={}", a.id(), org, kind.wire(),
                        LogText.of(name), a.sha256(), a.size());
                return new Upload(a, true);
            });
        } catch (StorageException e) {
            if (e.isUniqueViolation()) { // a concurrent upload of the same bytes committed first
                return new Upload(db.read(c -> artifacts.findSameBytes(c, org, kind, name, blob.sha256())).orElseThrow(),
                        false);
            }
            throw e;
        }
    }

    /** The most bytes this upload may have, and why. */
    private UploadLimit uploadLimit(String org) {
        return db.read(c -> {
            Long quota = organisations.quotaBytes(c, org);
            long used = quota == null ? 0 : artifacts.bytesUsed(c, org);
            if (quota != null && quota - used < maxArtifactSize) {
                return new UploadLimit(Math.max(0, quota - used), "organisation " + org + " has used "
                        + ByteSizes.format(used) + " of its " + ByteSizes.format(quota) + " storage quota ("
                        + ByteSizes.format(Math.max(0, quota - used)) + " left); ask the control plane's admin for a "
                        + "larger quota");
            }
            return new UploadLimit(maxArtifactSize, "the control plane takes artifacts of at most "
                    + ByteSizes.format(maxArtifactSize) + " (serve --max-artifact-size)");
        });
    }

    private record UploadLimit(long bytes, String reason) {
        void check(long size) {
            if (size > bytes) {
                throw new RequestRejected(413, "the artifact is " + ByteSizes.format(size) + "; " + reason);
            }
        }

        RequestRejected exceeded() {
            return new RequestRejected(413, "the artifact is larger than " + ByteSizes.format(bytes) + "; " + reason
                    + "; nothing was stored");
        }
    }

    /** Counts the bytes on their way to the store and stops the upload once they pass the limit. */
    private static final class LimitedStream extends FilterInputStream {
        private final UploadLimit limit;
        private long count;

        LimitedStream(InputStream in, UploadLimit limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
                if (count > limit.bytes()) {
                    throw limit.exceeded();
                }
            }
            return n;
        }
    }

    public Artifact get(String org, String id) {
        return db.read(c -> artifacts.find(c, org, id)).orElseThrow(() -> RequestRejected.notFound(
                "no artifact with id '" + id + "'; list artifacts with GET /api/artifacts"));
    }

    /** Any organisation's: only for the signed download, whose URL names the artifact. */
    public Optional<Artifact> find(String id) {
        return db.read(c -> artifacts.find(c, id));
    }

    public List<Artifact> list(String org) {
        return db.read(c -> artifacts.listNewestFirst(c, org));
    }
}
