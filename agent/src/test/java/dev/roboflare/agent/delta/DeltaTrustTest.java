package dev.roboflare.agent.delta;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roboflare.agent.trust.RanReleases;
import dev.roboflare.agent.trust.ReleaseTrust;
import dev.roboflare.protocol.AgentApi;
import dev.roboflare.protocol.ArtifactKind;
import dev.roboflare.protocol.ChunkIndex;
import dev.roboflare.protocol.ReleaseKeys;
import dev.roboflare.protocol.ReleaseStatement;
import dev.roboflare.protocol.SignedStatement;
import dev.roboflare.protocol.WireJson;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which chunk indexes may rebuild an artifact, with and without trusted release keys. */
class DeltaTrustTest {
    static final String ARTIFACT_SHA = "a".repeat(64);
    static final String TAR_SHA = "c".repeat(64);

    @TempDir
    Path state;

    final KeyPair releaseKey = ReleaseKeys.generate();

    static ChunkIndex index(ChunkIndex.Over over, String contentSha, long size) {
        return new ChunkIndex(over, 16384, 65536, 262144, size, contentSha,
                List.of(new ChunkIndex.Chunk("d".repeat(64), 0, (int) size)));
    }

    AgentApi.Deployment deployment(ArtifactKind kind, String contentSha, Long contentSize) throws Exception {
        var manifest = WireJson.lenient().readTree("{\"entrypoint\": [\"bin/app\"]}");
        ReleaseStatement s = new ReleaseStatement(ReleaseStatement.TYPE, "rel-1", "1.0.0", kind, ARTIFACT_SHA, 5000,
                ReleaseStatement.manifestSha256(manifest), Instant.now(), Instant.now().plusSeconds(3600), null,
                contentSha, contentSize);
        byte[] bytes = WireJson.lenient().writeValueAsBytes(s);
        SignedStatement signed = new SignedStatement(Base64.getEncoder().encodeToString(bytes),
                Base64.getEncoder().encodeToString(ReleaseKeys.sign(releaseKey.getPrivate(), bytes)),
                ReleaseKeys.keyId(releaseKey.getPublic()));
        return new AgentApi.Deployment("dep-1", new AgentApi.Release("rel-1", "1.0.0", manifest),
                new AgentApi.Artifact("art-1", kind, "lab-app", ARTIFACT_SHA, 5000, "http://cp/d", "http://cp/c"),
                signed);
    }

    DeltaDownloads delta(boolean trusted) {
        ReleaseTrust trust = trusted ? new ReleaseTrust(List.of(releaseKey.getPublic()), null, "0.1.0",
                Clock.systemUTC(), new RanReleases(state)) : null;
        return DeltaDownloads.in(state, 1 << 20, () -> null, trust, null);
    }

    @Test
    void aTrustingAgentRebuildsATarOnlyWhenTheSignedStatementNamesIt() throws Exception {
        ChunkIndex tar = index(ChunkIndex.Over.GUNZIPPED, TAR_SHA, 9000);

        assertThat(delta(true).refusal(deployment(ArtifactKind.APP_TARBALL, TAR_SHA, 9000L), tar)).isNull();
        assertThat(delta(true).refusal(deployment(ArtifactKind.APP_TARBALL, null, null), tar))
                .contains("no content_sha256");
        assertThat(delta(true).refusal(deployment(ArtifactKind.APP_TARBALL, "e".repeat(64), 9000L), tar))
                .contains("differs from the signed statement's");
        assertThat(delta(true).refusal(deployment(ArtifactKind.APP_TARBALL, TAR_SHA, 9001L), tar))
                .contains("differs");
        // without trusted keys the index is as trusted as the artifact sha256 the control plane sends
        assertThat(delta(false).refusal(deployment(ArtifactKind.APP_TARBALL, null, null), tar)).isNull();
    }

    @Test
    void anIndexOverStoredBytesMustDescribeTheArtifactItself() throws Exception {
        AgentApi.Deployment image = deployment(ArtifactKind.CONTAINER_IMAGE, null, null);

        assertThat(delta(true).refusal(image, index(ChunkIndex.Over.ARTIFACT, ARTIFACT_SHA, 5000))).isNull();
        assertThat(delta(true).refusal(image, index(ChunkIndex.Over.ARTIFACT, TAR_SHA, 5000)))
                .contains("other bytes");
        assertThat(delta(false).refusal(image, index(ChunkIndex.Over.GUNZIPPED, TAR_SHA, 9000)))
                .contains("container_image");
    }

    @Test
    void theVerifyStepAcceptsARebuiltTarOnlyThroughAKeptIndexItMayUse() throws Exception {
        DeltaDownloads trusting = delta(true);
        AgentApi.Deployment unsignedContent = deployment(ArtifactKind.APP_TARBALL, null, null);
        new ChunkCache(state.resolve("chunk-cache")).keepIndex(ARTIFACT_SHA,
                index(ChunkIndex.Over.GUNZIPPED, TAR_SHA, 9000).encode());

        assertThat(trusting.acceptedContent(deployment(ArtifactKind.APP_TARBALL, TAR_SHA, 9000L)))
                .isEqualTo(new DeltaDownloads.Content(9000, TAR_SHA));
        assertThat(trusting.acceptedContent(unsignedContent)).isNull();
        assertThat(DeltaDownloads.off().acceptedContent(unsignedContent)).isNull();
    }
}
