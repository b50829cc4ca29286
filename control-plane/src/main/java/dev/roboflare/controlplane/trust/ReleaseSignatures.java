package dev.roboflare.controlplane.trust;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roboflare.controlplane.Ids;
import dev.roboflare.controlplane.RequestRejected;
import dev.roboflare.controlplane.chunks.ChunkStore;
import dev.roboflare.controlplane.storage.ArtifactRows;
import dev.roboflare.controlplane.storage.ReleaseRows;
import dev.roboflare.controlplane.storage.ReleaseSignatureRows;
import dev.roboflare.controlplane.storage.ReleaseSignatureRows.SignatureRow;
import dev.roboflare.controlplane.storage.Transactor;
import dev.roboflare.protocol.ChunkIndex;
import dev.roboflare.protocol.OperatorApi.Artifact;
import dev.roboflare.protocol.OperatorApi.Release;
import dev.roboflare.protocol.ReleaseStatement;
import dev.roboflare.protocol.SignedStatement;
import dev.roboflare.protocol.WireJson;
import java.io.IOException;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores and serves offline-signed release statements. The control plane never holds a release key, so it cannot
 * check the signature against a trusted key (the agent does); it only refuses a statement that does not describe
 * this release (a mix-up the agent would refuse later anyway), including a content_sha256/content_size other than
 * the uncompressed tar the control plane measured when it indexed the artifact: a statement naming other content
 * would make every trusting agent download that release whole, which nobody would notice until the links fill up.
 */
public final class ReleaseSignatures {
    private static final Logger log = LoggerFactory.getLogger(ReleaseSignatures.class);
    private static final ObjectMapper JSON = WireJson.lenient();

    private final Transactor db;
    private final Clock clock;
    private final ChunkStore chunks;
    private final ReleaseRows releases = new ReleaseRows();
    private final ArtifactRows artifacts = new ArtifactRows();
    private final ReleaseSignatureRows signatures = new ReleaseSignatureRows();

    public ReleaseSignatures(Transactor db, Clock clock, ChunkStore chunks) {
        this.db = db;
        this.clock = clock;
        this.chunks = chunks;
    }

    public SignedStatement add(String org, String releaseId, SignedStatement signed) {
        if (signed == null || blank(signed.statement()) || blank(signed.signature()) || blank(signed.keyId())) {
            throw RequestRejected.badRequest("statement, signature and key_id are required; create them with "
                    + "'roboflare release sign'");
        }
        ReleaseStatement s;
        byte[] sig;
        try {
            s = JSON.readValue(Base64.getDecoder().decode(signed.statement()), ReleaseStatement.class);
            sig = Base64.getDecoder().decode(signed.signature());
        } catch (IOException | IllegalArgumentException e) {
            throw RequestRejected.badRequest("statement must be base64 of a release statement (JSON) and signature "
                    + "base64 of an Ed25519 signature: " + e.getMessage());
        }
        if (sig.length != 64 || signed.keyId().length() > 64) {
            throw RequestRejected.badRequest("an Ed25519 signature is 64 bytes, got " + sig.length);
        }
        String contentMismatch = contentMismatch(s, org, releaseId);
        if (contentMismatch != null) {
            throw RequestRejected.unprocessable("the statement's uncompressed content does not match release "
                    + releaseId + ": " + contentMismatch + "; sign it again with 'roboflare release sign' (it reads "
                    + "content_sha256 and content_size from the control plane, and checks them against the file "
                    + "given with --artifact-file)");
        }
        SignatureRow row = db.inTransaction(c -> {
            Release r = releases.find(c, org, releaseId).orElseThrow(() -> RequestRejected.notFound(
                    "no release with id '" + releaseId + "'; list releases with GET /api/releases"));
            Artifact a = artifacts.find(c, r.artifactId()).orElseThrow();
            String mismatch = mismatch(s, r, a);
            if (mismatch != null) {
                throw RequestRejected.unprocessable("the statement does not describe release " + releaseId + ": "
                        + mismatch + "; sign this release again");
            }
            SignatureRow n = new SignatureRow(Ids.newId(), releaseId, signed, s.expiresAt(), clock.instant());
            signatures.insert(c, n);
            return n;
        });
        log.info("release {} signature stored: key_id={} expires_at={}", releaseId, signed.keyId(), s.expiresAt());
        return row.signed();
    }

    public List<SignedStatement> list(String org, String releaseId) {
        return db.read(c -> {
            releases.find(c, org, releaseId).orElseThrow(() -> RequestRejected.notFound(
                    "no release with id '" + releaseId + "'; list releases with GET /api/releases"));
            return signatures.newestFirst(c, releaseId).stream().map(SignatureRow::signed).toList();
        });
    }

    /**
     * Null when the statement's content_sha256/content_size agree with the chunk index made at upload (or the
     * statement names none), else what differs. Read outside the transaction: the index lives in the artifact store.
     */
    private String contentMismatch(ReleaseStatement s, String org, String releaseId) {
        if (s.contentSha256() == null && s.contentSize() == null) {
            return null; // the robots download this release whole when they trust keys; not a mix-up
        }
        if (s.contentSha256() == null || s.contentSize() == null) {
            return "it names " + (s.contentSha256() == null ? "content_size without content_sha256"
                    : "content_sha256 without content_size");
        }
        Artifact a = db.read(c -> {
            Release r = releases.find(c, org, releaseId).orElseThrow(() -> RequestRejected.notFound(
                    "no release with id '" + releaseId + "'; list releases with GET /api/releases"));
            return artifacts.find(c, r.artifactId()).orElseThrow();
        });
        ChunkIndex index;
        try {
            index = chunks.index(a.sha256());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the chunk index of artifact " + a.id() + ": "
                    + e.getMessage(), e);
        }
        if (index == null || index.over() != ChunkIndex.Over.GUNZIPPED) {
            return "it names content_sha256 " + s.contentSha256() + ", but artifact " + a.id() + " has no "
                    + "uncompressed tar content (not a gzipped app tarball, or not indexed), so no content digest "
                    + "belongs in its statement";
        }
        if (!index.contentSha256().equals(s.contentSha256()) || index.contentSize() != s.contentSize()) {
            return "it names content_sha256 " + s.contentSha256() + " (" + s.contentSize() + " bytes), the "
                    + "control plane measured " + index.contentSha256() + " (" + index.contentSize() + " bytes) "
                    + "when artifact " + a.id() + " was uploaded";
        }
        return null;
    }

    private static String mismatch(ReleaseStatement s, Release r, Artifact a) {
        if (!ReleaseStatement.TYPE.equals(s.type())) {
            return "type is '" + s.type() + "', expected '" + ReleaseStatement.TYPE + "'";
        }
        if (!r.id().equals(s.releaseId())) {
            return "release_id is '" + s.releaseId() + "'";
        }
        if (!r.semver().equals(s.semver())) {
            return "semver is '" + s.semver() + "', the release is " + r.semver();
        }
        if (a.kind() != s.kind() || !a.sha256().equals(s.artifactSha256()) || a.size() != s.artifactSize()) {
            return "the artifact is " + a.kind().wire() + " sha256 " + a.sha256() + " size " + a.size()
                    + ", the statement says " + (s.kind() == null ? null : s.kind().wire()) + " sha256 "
                    + s.artifactSha256() + " size " + s.artifactSize();
        }
        if (!Objects.equals(ReleaseStatement.manifestSha256(r.manifestJson()), s.manifestSha256())) {
            return "manifest_sha256 differs from the release's manifest";
        }
        if (s.expiresAt() == null) {
            return "expires_at is missing";
        }
        return null;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
