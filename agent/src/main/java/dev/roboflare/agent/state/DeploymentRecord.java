package dev.roboflare.agent.state;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roboflare.protocol.AgentApi;
import dev.roboflare.protocol.ArtifactKind;
import dev.roboflare.protocol.SignedStatement;

/**
 * The in-flight deployment as the agent keeps it in state.json: its own copy of what it needs from the wire
 * record, so that a change of the agent API is never a change of the state format. The kind is stored as its wire
 * word; the signature is kept verbatim (key id, statement, signature) because it is checked as received.
 *
 * @param downloadUrl short-lived; refreshed from a poll while the download is retried
 * @param chunksUrl   the signed delta-download URL, refreshed like downloadUrl; null without delta downloads, and in
 *                    a state.json written before it existed (such a deployment is downloaded whole)
 * @param force       the operator asked to skip the update gate (format 3; absent: false)
 */
public record DeploymentRecord(String id, String releaseId, String semver, JsonNode manifest, String artifactId,
                               String kind, String artifactName, String sha256, long size, String downloadUrl,
                               String signatureKeyId, String signedStatement, String signature, String chunksUrl,
                               boolean force) {

    public static DeploymentRecord of(AgentApi.Deployment d) {
        AgentApi.Release r = d.release();
        AgentApi.Artifact a = d.artifact();
        SignedStatement s = d.signature();
        return new DeploymentRecord(d.id(), r == null ? null : r.id(), r == null ? null : r.semver(),
                r == null ? null : r.manifestJson(), a == null ? null : a.id(),
                a == null || a.kind() == null ? null : a.kind().wire(), a == null ? null : a.name(),
                a == null ? null : a.sha256(), a == null ? 0 : a.size(), a == null ? null : a.downloadUrl(),
                s == null ? null : s.keyId(), s == null ? null : s.statement(), s == null ? null : s.signature(),
                a == null ? null : a.chunksUrl(), d.force());
    }

    /** Null when the record has no kind; an unknown word (a newer agent wrote it) reads as no kind. */
    public ArtifactKind artifactKind() {
        try {
            return kind == null ? null : ArtifactKind.fromWire(kind);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The artifact as the downloader wants it. */
    public AgentApi.Artifact artifact() {
        return new AgentApi.Artifact(artifactId, artifactKind(), artifactName, sha256, size, downloadUrl,
                chunksUrl);
    }

    /** The wire shape again, for the checks that judge what the control plane sent (signature, self-update). */
    public AgentApi.Deployment asReceived() {
        SignedStatement s = signature == null && signedStatement == null ? null
                : new SignedStatement(signedStatement, signature, signatureKeyId);
        return new AgentApi.Deployment(id, releaseId == null && semver == null ? null
                : new AgentApi.Release(releaseId, semver, manifest), kind == null ? null : artifact(), s, force);
    }

    public DeploymentRecord forced() {
        return new DeploymentRecord(id, releaseId, semver, manifest, artifactId, kind, artifactName, sha256, size,
                downloadUrl, signatureKeyId, signedStatement, signature, chunksUrl, true);
    }

    /** With the signed URLs of a fresh poll (they expire while a download is retried). */
    public DeploymentRecord withUrls(AgentApi.Artifact fresh) {
        return new DeploymentRecord(id, releaseId, semver, manifest, artifactId, kind, artifactName, sha256, size,
                fresh.downloadUrl(), signatureKeyId, signedStatement, signature, fresh.chunksUrl(), force);
    }
}
