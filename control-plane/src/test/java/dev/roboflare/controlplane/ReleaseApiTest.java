package dev.roboflare.controlplane;

import static dev.roboflare.controlplane.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ParameterizedClass
@EnumSource(TestDatabase.class)
class ReleaseApiTest {
    @Parameter
    TestDatabase database;

    TestServer server;
    String artifactId;

    @BeforeParameterizedClassInvocation
    void start(TestDatabase database) throws IOException {
        server = TestServer.start(database);
        artifactId = server.artifactId("gripper", "gripper build 1");
    }

    @AfterParameterizedClassInvocation
    void stop() {
        server.close();
    }

    private TestServer.Reply publish(String semver, String manifest) {
        return server.post("/api/releases", "{\"artifact_id\":\"" + artifactId + "\",\"semver\":\"" + semver
                + "\",\"notes\":\"first\",\"manifest_json\":" + manifest + "}");
    }

    @Test
    void publishedReleaseCanBeReadBackAndListed() {
        TestServer.Reply r = publish("1.0.0", "{\"entrypoint\":[\"bin/app\",\"--flag\"]}");

        assertThat(r.status()).as(r.body()).isEqualTo(201);
        JsonNode release = r.json();
        assertThat(release.get("artifact_id").asText()).isEqualTo(artifactId);
        assertThat(release.get("semver").asText()).isEqualTo("1.0.0");
        assertThat(release.get("notes").asText()).isEqualTo("first");
        assertThat(release.get("manifest_json").get("entrypoint").get(1).asText()).isEqualTo("--flag");
        assertThat(server.get("/api/releases/" + release.get("id").asText()).json()).isEqualTo(release);
        assertThat(server.get("/api/releases").json().findValuesAsText("id")).contains(release.get("id").asText());
    }

    @Test
    void manifestGivenAsAJsonStringIsStoredAsAnObject() {
        TestServer.Reply r = publish("1.1.0", "\"{\\\"entrypoint\\\":[\\\"bin/app\\\"]}\"");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        assertThat(r.json().get("manifest_json").isObject()).isTrue();
        assertThat(r.json().get("manifest_json").get("entrypoint").get(0).asText()).isEqualTo("bin/app");
    }

    @ParameterizedTest
    @ValueSource(strings = {"2.0.0-rc.1", "2.0.0-alpha.beta+exp.sha.5114f85", "2.0.1+20260101"})
    void prereleaseAndBuildMetadataAreValid(String semver) {
        assertThat(publish(semver, "{}").status()).isEqualTo(201);
    }

    @ParameterizedTest
    @ValueSource(strings = {"v1.0.0", "1.0", "01.0.0", "1.0.0-", "1.0.0+", "1.0.0-01", "latest"})
    void invalidSemverIs400(String semver) {
        assertProblem(publish(semver, "{}"), 400, "semver");
    }

    @Test
    void duplicateSemverForTheSameArtifactNameIs409() {
        assertThat(publish("3.0.0", "{}").status()).isEqualTo(201);
        assertProblem(publish("3.0.0", "{}"), 409, "already exists");
        // a new build of the same app (same name, other bytes) still may not reuse the version
        String rebuilt = server.artifactId("gripper", "gripper build 2");
        assertProblem(server.post("/api/releases", "{\"artifact_id\":\"" + rebuilt
                + "\",\"semver\":\"3.0.0\",\"manifest_json\":{}}"), 409, "immutable");
    }

    @Test
    void badBodiesAreProblemsNot500s() {
        assertProblem(server.post("/api/releases", "{\"artifact_id\":\"nope\",\"semver\":\"1.0.0\",\"manifest_json\":{}}"),
                422, "does not exist");
        assertProblem(publish("4.0.0", "[1,2]"), 400, "manifest_json must be a JSON object");
        assertProblem(publish("4.0.0", "\"not json\""), 400, "manifest_json");
        assertProblem(server.post("/api/releases", "{\"artifact_id\":\"" + artifactId + "\",\"semver\":\"4.0.0\"}"),
                400, "manifest_json is required");
        assertProblem(server.post("/api/releases", "{\"artifact_id\":\"" + artifactId
                + "\",\"semver\":\"4.0.0\",\"manifest_json\":{},\"colour\":\"red\"}"), 400, "unknown field 'colour'");
        assertProblem(server.post("/api/releases", "{\"artifact_id\":\"" + artifactId
                + "\",\"semver\":4,\"manifest_json\":{}}"), 400, "semver");
        assertProblem(server.post("/api/releases", "{\"artifact_id\": "), 400, "not valid JSON");
        assertProblem(server.post("/api/releases", ""), 400, "empty");
        assertProblem(server.post("/api/releases", "[]"), 400, "JSON object");
        assertProblem(server.get("/api/releases/missing"), 404, "missing");
    }

    @Test
    void releasesCannotBeChangedOrDeleted() {
        String id = publish("5.0.0", "{}").json().get("id").asText();
        TestServer.Reply delete = server.send(server.request("/api/releases/" + id, server.operatorToken)
                .DELETE().build());
        TestServer.Reply put = server.send(server.request("/api/releases/" + id, server.operatorToken)
                .PUT(HttpRequest.BodyPublishers.ofString("{}")).build());
        assertThat(delete.status()).isIn(404, 405);
        assertThat(put.status()).isIn(404, 405);
        assertThat(server.get("/api/releases/" + id).json().get("semver").asText()).isEqualTo("5.0.0");
    }
}
