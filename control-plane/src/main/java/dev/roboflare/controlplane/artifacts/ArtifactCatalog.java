package dev.roboflare.controlplane.artifacts;

import dev.roboflare.controlplane.Ids;
import dev.roboflare.controlplane.RequestRejected;
import dev.roboflare.controlplane.chunks.ChunkIndexer;
import dev.roboflare.controlplane.storage.ArtifactRows;
import dev.roboflare.controlplane.storage.StorageException;
import dev.roboflare.controlplane.storage.Transactor;
import dev.roboflare.protocol.ArtifactKind;
import dev.roboflare.protocol.OperatorApi.Artifact;
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
    private final Clock clock;
    private final ChunkIndexer chunkIndexer;

    public ArtifactCatalog(ArtifactStore store, Transactor db, Clock clock) {
        this(store, db, clock, null);
    }

    /** {@code chunkIndexer} (nullable: no delta downloads) cuts each new blob into chunks after its upload. */
    public ArtifactCatalog(ArtifactStore store, Transactor db, Clock clock, ChunkIndexer chunkIndexer) {
        this.store = store;
        this.db = db;
        this.clock = clock;
        this.chunkIndexer = chunkIndexer;
    }

    public record Upload(Artifact artifact, boolean created) {
    }

    public Upload upload(String org, ArtifactKind kind, String name, InputStream body) throws IOException {
        Upload upload = store(org, kind, name, body);
        if (chunkIndexer != null) {
            chunkIndexer.ensureIndexed(upload.artifact().id(), kind, upload.artifact().sha256());
        }
        return upload;
    }

    private Upload store(String org, ArtifactKind kind, String name, InputStream body) throws IOException {
        ArtifactStore.StoredBlob blob = store.put(body);
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
                        name, a.sha256(), a.size());
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
