package dev.roboflare.agent.trust;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roboflare.protocol.AgentApi;
import dev.roboflare.protocol.ReleaseKeys;
import dev.roboflare.protocol.ReleaseStatement;
import dev.roboflare.protocol.SignedStatement;
import dev.roboflare.agent.state.AgentJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The check step's trust rules. With trusted keys, a deployment runs only if its release statement is signed by one
 * of them, has not expired, names exactly this release (id, semver), these bytes (kind, sha256, size) and this
 * manifest, and this agent is at least its min_agent_version. With a version floor, a release below it is refused
 * unless this robot ran that release before (an explicit rollback). Nothing here trusts the control plane.
 */
public final class ReleaseTrust {
    private static final ObjectMapper JSON = AgentJson.lenient();
    /** No keys and no floor: every release may run (no --trusted-key, no --version-floor). */
    public static final ReleaseTrust NONE = new ReleaseTrust(List.of(), null, null, null, null);

    private final Map<String, PublicKey> keys;
    private final String versionFloor;
    private final String agentVersion;
    private final Clock clock;
    private final RanReleases ran;

    /** {@code agentVersion}: this agent's, compared with a statement's min_agent_version (see AgentVersion). */
    public ReleaseTrust(List<PublicKey> trustedKeys, String versionFloor, String agentVersion, Clock clock,
                        RanReleases ran) {
        Map<String, PublicKey> m = new LinkedHashMap<>();
        trustedKeys.forEach(k -> m.put(ReleaseKeys.keyId(k), k));
        this.keys = Map.copyOf(m);
        this.versionFloor = versionFloor;
        this.agentVersion = agentVersion;
        this.clock = clock;
        this.ran = ran;
    }

    /** Reads PEM public keys; a file may hold several. */
    public static List<PublicKey> readKeys(List<Path> files) throws IOException {
        List<PublicKey> out = new java.util.ArrayList<>();
        for (Path f : files) {
            String text = Files.readString(f);
            String[] blocks = text.split("(?=-----BEGIN PUBLIC KEY-----)");
            for (String b : blocks) {
                if (b.contains("-----BEGIN PUBLIC KEY-----")) {
                    try {
                        out.add(ReleaseKeys.readPublic(b));
                    } catch (IllegalArgumentException e) {
                        throw new IOException("trusted key file " + f + ": " + e.getMessage(), e);
                    }
                }
            }
        }
        return out;
    }

    /** True when releases must be signed by one of the trusted keys (not only a version floor). */
    public boolean requiresSignatures() {
        return !keys.isEmpty();
    }

    public Set<String> keyIds() {
        return keys.keySet();
    }

    /** Records that this robot applied a release (for the rollback exception to the version floor). */
    public void applied(String releaseId) throws IOException {
        if (ran != null) {
            ran.remember(releaseId);
        }
    }

    /**
     * Null when the deployment may run, else the reason for the failed event. {@code onRobot}: release ids this
     * robot runs now or ran before (current and previous in state.json); the ran-releases file is added to them.
     */
    public String refusal(AgentApi.Deployment d, Set<String> onRobot) throws IOException {
        if (!keys.isEmpty()) {
            String why = signatureRefusal(d);
            if (why != null) {
                return "untrusted release: " + why;
            }
        }
        if (versionFloor != null && VersionOrder.SEMVER.compare(d.release().semver(), versionFloor) < 0) {
            boolean ranBefore = onRobot.contains(d.release().id()) || ran.load().contains(d.release().id());
            if (!ranBefore) {
                return "release " + d.release().semver() + " is below the version floor " + versionFloor
                        + " and this robot never ran it (only a rollback to a release it ran before may go below)";
            }
        }
        return null;
    }

    /**
     * The deployment's statement when one of the trusted keys signed it, else null. Only the signature is checked
     * here (the check step has judged the rest): for steps after it that need a signed value, such as the content
     * sha256 of a delta download.
     */
    public ReleaseStatement signedStatement(AgentApi.Deployment d) {
        SignedStatement signed = d.signature();
        PublicKey key = signed == null ? null : keys.get(signed.keyId());
        if (key == null || signed.statement() == null || signed.signature() == null) {
            return null;
        }
        try {
            return verified(signed, key);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The statement {@code key} signed; IllegalArgumentException saying why not. */
    private static ReleaseStatement verified(SignedStatement signed, PublicKey key) {
        byte[] statementBytes;
        byte[] signature;
        try {
            statementBytes = Base64.getDecoder().decode(signed.statement());
            signature = Base64.getDecoder().decode(signed.signature());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the signature or statement is not base64");
        }
        if (!ReleaseKeys.verify(key, statementBytes, signature)) {
            throw new IllegalArgumentException("bad signature: the statement was not signed by key " + signed.keyId()
                    + " (or was altered)");
        }
        try {
            return JSON.readValue(statementBytes, ReleaseStatement.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("the signed statement is not a release statement: " + e.getMessage());
        }
    }

    private String signatureRefusal(AgentApi.Deployment d) {
        SignedStatement signed = d.signature();
        if (signed == null || signed.statement() == null || signed.signature() == null) {
            return "release " + d.release().semver() + " is not signed (sign it with 'roboflare release sign'); "
                    + "this agent only runs releases signed by key " + String.join(" or ", keys.keySet());
        }
        PublicKey key = keys.get(signed.keyId());
        if (key == null) {
            return "signed by key '" + signed.keyId() + "', which this agent does not trust (trusted: "
                    + String.join(", ", keys.keySet()) + ")";
        }
        ReleaseStatement s;
        try {
            s = verified(signed, key);
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        if (!ReleaseStatement.TYPE.equals(s.type())) {
            return "the signed statement has type '" + s.type() + "', not " + ReleaseStatement.TYPE;
        }
        Instant now = clock.instant();
        if (s.expiresAt() == null || !now.isBefore(s.expiresAt())) {
            return "the release statement expired at " + s.expiresAt() + " (it is " + now + " by the robot's clock, "
                    + "or the control plane's when the robot's is behind); sign the release again";
        }
        AgentApi.Release r = d.release();
        AgentApi.Artifact a = d.artifact();
        if (!Objects.equals(r.id(), s.releaseId()) || !Objects.equals(r.semver(), s.semver())) {
            return "the statement is for release " + s.releaseId() + " " + s.semver() + ", not " + r.id() + " "
                    + r.semver();
        }
        if (a.kind() != s.kind()) {
            return "artifact kind " + a.kind().wire() + " differs from the statement's " + s.kind();
        }
        if (!Objects.equals(a.sha256(), s.artifactSha256())) {
            return "artifact sha256 " + a.sha256() + " differs from the statement's " + s.artifactSha256();
        }
        if (a.size() != s.artifactSize()) {
            return "artifact size " + a.size() + " differs from the statement's " + s.artifactSize();
        }
        if (!ReleaseStatement.manifestSha256(r.manifestJson()).equals(s.manifestSha256())) {
            return "the manifest differs from the one the statement signs (manifest_sha256)";
        }
        if (s.minAgentVersion() != null && VersionOrder.SEMVER.compare(agentVersion, s.minAgentVersion()) < 0) {
            return "the release needs agent " + s.minAgentVersion() + " or newer; this agent is " + agentVersion;
        }
        return null;
    }
}
