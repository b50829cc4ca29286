package dev.roboflare.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roboflare.protocol.ArtifactKind;
import dev.roboflare.protocol.ReleaseKeys;
import dev.roboflare.protocol.ReleaseStatement;
import dev.roboflare.protocol.WireJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Release signatures, robot token rotation/revocation, read-only operator tokens. One robot or organisation never
 * reaching another's rows: OrganisationIsolationTest.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TrustApiTest {
    TestServer server;

    @BeforeAll
    void start() throws IOException {
        server = TestServer.start();
    }

    @AfterAll
    void stop() {
        server.close();
    }

    String signedBody(String releaseId, String semver, String content, KeyPair key) throws Exception {
        JsonNode release = server.get("/api/releases/" + releaseId).json();
        JsonNode artifact = server.get("/api/artifacts/" + release.get("artifact_id").asText()).json();
        ReleaseStatement s = new ReleaseStatement(ReleaseStatement.TYPE, releaseId, semver, ArtifactKind.APP_TARBALL,
                artifact.get("sha256").asText(), content.getBytes(StandardCharsets.UTF_8).length,
                ReleaseStatement.manifestSha256(release.get("manifest_json")), Instant.now(),
                Instant.now().plusSeconds(3600), null);
        byte[] bytes = WireJson.lenient().writeValueAsBytes(s);
        return "{\"statement\":\"" + Base64.getEncoder().encodeToString(bytes) + "\",\"signature\":\""
                + Base64.getEncoder().encodeToString(ReleaseKeys.sign(key.getPrivate(), bytes)) + "\",\"key_id\":\""
                + ReleaseKeys.keyId(key.getPublic()) + "\"}";
    }

    @Test
    void aSignedStatementIsStoredAndServedToTheRobotWithItsDeployment() throws Exception {
        KeyPair key = ReleaseKeys.generate();
        String content = "signed bytes";
        String releaseId = server.releaseId(server.artifactId("signed-app", content), "1.0.0");
        String otherRelease = server.releaseId(server.artifactId("other-app", "other"), "2.0.0");

        assertThat(server.post("/api/releases/" + otherRelease + "/signatures",
                signedBody(releaseId, "1.0.0", content, key)).status()).isEqualTo(422); // not this release
        TestServer.Reply stored = server.post("/api/releases/" + releaseId + "/signatures",
                signedBody(releaseId, "1.0.0", content, key));
        assertThat(stored.status()).isEqualTo(201);
        assertThat(server.get("/api/releases/" + releaseId + "/signatures").json()).hasSize(1);

        JsonNode robot = server.robot("signed-robot");
        server.deployToRobot(releaseId, robot.get("id").asText());
        JsonNode d = server.get("/api/agent/deployments", robot.get("token").asText()).json().get("deployments").get(0);
        assertThat(d.get("signature").get("key_id").asText()).isEqualTo(ReleaseKeys.keyId(key.getPublic()));
        byte[] statement = Base64.getDecoder().decode(d.get("signature").get("statement").asText());
        assertThat(ReleaseKeys.verify(key.getPublic(), statement,
                Base64.getDecoder().decode(d.get("signature").get("signature").asText()))).isTrue();
    }

    private static String signed(ReleaseStatement s, KeyPair key) throws Exception {
        byte[] bytes = WireJson.lenient().writeValueAsBytes(s);
        return "{\"statement\":\"" + Base64.getEncoder().encodeToString(bytes) + "\",\"signature\":\""
                + Base64.getEncoder().encodeToString(ReleaseKeys.sign(key.getPrivate(), bytes)) + "\",\"key_id\":\""
                + ReleaseKeys.keyId(key.getPublic()) + "\"}";
    }

    private ReleaseStatement statement(String releaseId, String contentSha256, Long contentSize) {
        JsonNode release = server.get("/api/releases/" + releaseId).json();
        JsonNode artifact = server.get("/api/artifacts/" + release.get("artifact_id").asText()).json();
        return new ReleaseStatement(ReleaseStatement.TYPE, releaseId, release.get("semver").asText(),
                ArtifactKind.fromWire(artifact.get("kind").asText()), artifact.get("sha256").asText(),
                artifact.get("size").asLong(), ReleaseStatement.manifestSha256(release.get("manifest_json")),
                Instant.now(), Instant.now().plusSeconds(3600), null, contentSha256, contentSize);
    }

    @Test
    void aStatementsContentDigestMustBeTheUncompressedTarTheControlPlaneMeasuredAtUpload() throws Exception {
        KeyPair key = ReleaseKeys.generate();
        byte[] tar = ChunkApiTest.random(31, 400_000);
        String artifact = server.upload("app_tarball", "content-app", ChunkApiTest.gzip(tar)).json().get("id")
                .asText();
        String releaseId = server.releaseId(artifact, "1.0.0");
        String sha = ChunkApiTest.sha256(tar);
        String path = "/api/releases/" + releaseId + "/signatures";

        TestServer.Reply wrongDigest = server.post(path, signed(statement(releaseId, ChunkApiTest.sha256(new byte[1]),
                (long) tar.length), key));
        assertThat(wrongDigest.status()).isEqualTo(422);
        assertThat(wrongDigest.body()).contains("the control plane measured " + sha + " (400000 bytes)")
                .contains("roboflare release sign");
        assertThat(server.post(path, signed(statement(releaseId, sha, tar.length + 1L), key)).status())
                .isEqualTo(422);
        assertThat(server.post(path, signed(statement(releaseId, sha, null), key)).body())
                .contains("content_sha256 without content_size");
        assertThat(server.get(path).json()).isEmpty();

        assertThat(server.post(path, signed(statement(releaseId, sha, (long) tar.length), key)).status())
                .isEqualTo(201);
        assertThat(server.post(path, signed(statement(releaseId, null, null), key)).status())
                .as("no content digest: trusting robots download it whole").isEqualTo(201);

        String plain = server.releaseId(server.artifactId("plain-app", "not gzipped"), "1.0.0");
        TestServer.Reply noTar = server.post("/api/releases/" + plain + "/signatures",
                signed(statement(plain, sha, (long) tar.length), key));
        assertThat(noTar.status()).isEqualTo(422);
        assertThat(noTar.body()).contains("no uncompressed tar content");
    }

    @Test
    void aRotatedTokenWorksAlongsideTheOldUntilTheOldIsRevoked() {
        JsonNode robot = server.robot("rotating");
        String id = robot.get("id").asText();
        String oldToken = robot.get("token").asText();
        TestServer.Reply issued = server.post("/api/robots/" + id + "/tokens", "{}");
        assertThat(issued.status()).isEqualTo(201);
        String newToken = issued.json().get("token").asText();
        assertThat(server.get("/api/agent/deployments", oldToken).status()).isEqualTo(200);
        assertThat(server.get("/api/agent/deployments", newToken).status()).isEqualTo(200);

        JsonNode tokens = server.get("/api/robots/" + id + "/tokens").json();
        assertThat(tokens).hasSize(2);
        String oldId = tokens.get(0).get("token_id").asText();
        assertThat(server.post("/api/robots/" + id + "/revoke", "{\"token_id\":\"" + oldId + "\"}").status())
                .isEqualTo(200);
        assertThat(server.get("/api/agent/deployments", oldToken).status()).isEqualTo(401);
        assertThat(server.get("/api/agent/deployments", newToken).status()).isEqualTo(200);

        assertThat(server.post("/api/robots/" + id + "/revoke", "{}").status()).isEqualTo(200); // robot revoke
        assertThat(server.get("/api/agent/deployments", newToken).status()).isEqualTo(401);
    }

    @Test
    void aReadOnlyOperatorTokenReadsButCannotWrite() {
        TestServer.Reply created = server.post("/api/operator-tokens", "{\"name\":\"grafana\",\"read_only\":true}");
        assertThat(created.status()).isEqualTo(201);
        String readOnly = created.json().get("token").asText();
        assertThat(server.get("/api/robots", readOnly).status()).isEqualTo(200);
        assertThat(server.post("/api/robots", "{\"name\":\"nope\"}", readOnly).status()).isEqualTo(403);
        assertThat(server.post("/api/operator-tokens", "{\"name\":\"escalate\"}", readOnly).status()).isEqualTo(403);

        String full = server.post("/api/operator-tokens", "{\"name\":\"ci\"}").json().get("token").asText();
        assertThat(server.post("/api/robots", "{\"name\":\"by-ci\"}", full).status()).isEqualTo(201);
    }
}
