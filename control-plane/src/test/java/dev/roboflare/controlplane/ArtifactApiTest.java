package dev.roboflare.controlplane;

import dev.roboflare.protocol.Sha256;
import static dev.roboflare.controlplane.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ParameterizedClass
@EnumSource(TestDatabase.class)
class ArtifactApiTest {
    @Parameter
    TestDatabase database;

    TestServer server;

    @BeforeParameterizedClassInvocation
    void start(TestDatabase database) throws IOException {
        server = TestServer.start(database);
    }

    @AfterParameterizedClassInvocation
    void stop() {
        server.close();
    }

    @Test
    void uploadStoresBytesByHashAndAnswersWithTheArtifact() throws IOException {
        byte[] bytes = "tarball bytes v1".getBytes(StandardCharsets.UTF_8);
        TestServer.Reply r = server.upload("app_tarball", "arm-controller", bytes);

        assertThat(r.status()).as(r.body()).isEqualTo(201);
        JsonNode a = r.json();
        String sha = HexFormat.of().formatHex(Sha256.newDigest().digest(bytes));
        assertThat(a.get("kind").asText()).isEqualTo("app_tarball");
        assertThat(a.get("name").asText()).isEqualTo("arm-controller");
        assertThat(a.get("sha256").asText()).isEqualTo(sha);
        assertThat(a.get("size").asLong()).isEqualTo(bytes.length);
        assertThat(a.get("created_at").asText()).endsWith("Z");
        assertThat(Files.readAllBytes(server.dataDir.resolve("artifacts/sha256/" + sha))).isEqualTo(bytes);

        TestServer.Reply fetched = server.get("/api/artifacts/" + a.get("id").asText());
        assertThat(fetched.status()).isEqualTo(200);
        assertThat(fetched.json()).isEqualTo(a);
    }

    @Test
    void sameBytesAgainReturnTheExistingArtifactWith200() {
        byte[] bytes = "identical".getBytes(StandardCharsets.UTF_8);
        TestServer.Reply first = server.upload("container_image", "cam", bytes);
        TestServer.Reply again = server.upload("container_image", "cam", bytes);

        assertThat(first.status()).isEqualTo(201);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("id")).isEqualTo(first.json().get("id"));
        long listed = 0;
        for (JsonNode a : server.get("/api/artifacts").json()) {
            if (a.get("name").asText().equals("cam")) {
                listed++;
            }
        }
        assertThat(listed).isEqualTo(1);
    }

    @Test
    void badUploadsAreProblems() {
        assertProblem(server.upload("zip", "x", new byte[] {1}), 400, "app_tarball");
        assertProblem(server.upload("app_tarball", "", new byte[] {1}), 400, "name");
        assertProblem(server.upload("app_tarball", "empty", new byte[0]), 400, "empty");
        assertProblem(server.get("/api/artifacts/nope"), 404, "nope");
    }

    @Test
    void operatorEndpointsNeedTheOperatorToken() {
        assertProblem(server.get("/api/artifacts", null), 401, "Authorization");
        TestServer.Reply wrong = server.get("/api/releases", "not-the-token");
        assertProblem(wrong, 401, "operator token");
        assertThat(wrong.header("WWW-Authenticate")).isEqualTo("Bearer");
        String robotToken = server.robot("r").get("token").asText();
        assertProblem(server.get("/api/robots", robotToken), 401, "operator");
    }

    @Test
    void unknownRoutesAreProblemsToo() {
        assertProblem(server.get("/api/nothing-here"), 404, "no endpoint");
    }
}
