package dev.roboflare.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.roboflare.protocol.WireJson;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * docs/openapi.json against the running control plane: the routes it registers (as OrganisationIsolationTest reads
 * them, so a route added later is checked too) are exactly the documented ones, the server serves that same
 * document, and an operator's and an agent's real requests to every route get answers whose status is documented
 * and whose JSON body matches the documented schema.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenApiDocumentTest {
    private static final Path DOCUMENT = Path.of("..", "docs", "openapi.json");
    private static final JsonSchemaFactory SCHEMAS = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);

    TestServer server;
    JsonNode document;
    final Set<String> exercised = new TreeSet<>();

    @BeforeAll
    void start() throws Exception {
        server = TestServer.start();
        document = WireJson.lenient().readTree(Files.readString(DOCUMENT));
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Test
    void everyRegisteredRouteIsDocumentedAndEveryDocumentedOneExists() {
        Set<String> registered = server.controlPlane.routes().stream()
                .filter(r -> !r.startsWith("BEFORE") && !r.startsWith("AFTER"))
                .filter(r -> r.substring(r.indexOf(' ') + 1).startsWith("/api/"))
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> documented = documentedRoutes();
        assertThat(documented).as("in docs/openapi.json but not registered by the control plane")
                .isSubsetOf(registered);
        assertThat(registered).as("registered by the control plane but missing from docs/openapi.json")
                .isSubsetOf(documented);
        assertThat(document.get("openapi").asText()).startsWith("3.1");
    }

    @Test
    void theServedDocumentIsTheOneInDocs() throws Exception {
        TestServer.Reply served = call("GET", "/api/openapi.json", Map.of(), null, server.operatorToken, 200);
        assertThat(WireJson.lenient().readTree(served.body())).isEqualTo(document);
        assertThat(server.get("/api/openapi.json", null).status()).isEqualTo(401);
    }

    @Test
    void realAnswersOfEveryRouteMatchTheirSchemas() {
        String op = server.operatorToken;
        String artifact = call("POST", "/api/artifacts", Map.of(), null, op, 201).json().get("id").asText();
        call("GET", "/api/artifacts", Map.of(), null, op, 200);
        call("GET", "/api/artifacts/{id}", Map.of("id", artifact), null, op, 200);
        call("GET", "/api/artifacts/{id}", Map.of("id", "no-such-artifact"), null, op, 404);
        String release = call("POST", "/api/releases", Map.of(), "{\"artifact_id\":\"" + artifact + "\","
                + "\"semver\":\"1.0.0\",\"notes\":null,\"manifest_json\":{\"entrypoint\":[\"bin/app\"]}}", op, 201)
                .json().get("id").asText();
        call("POST", "/api/releases", Map.of(), "{\"semver\":", op, 400);
        call("GET", "/api/releases", Map.of(), null, op, 200);
        call("GET", "/api/releases/{id}", Map.of("id", release), null, op, 200);
        call("POST", "/api/releases/{id}/signatures", Map.of("id", release), "{\"statement\":\""
                + java.util.Base64.getEncoder().encodeToString("{}".getBytes(StandardCharsets.UTF_8))
                + "\",\"signature\":\"" + java.util.Base64.getEncoder().encodeToString(new byte[64])
                + "\",\"key_id\":\"k\"}", op, 422); // a statement about nothing: refused, not stored
        call("GET", "/api/releases/{id}/signatures", Map.of("id", release), null, op, 200);

        JsonNode robot = call("POST", "/api/robots", Map.of(), "{\"name\":\"schema-arm\"}", op, 201).json();
        String robotId = robot.get("id").asText();
        call("GET", "/api/robots", Map.of(), null, op, 200);
        call("GET", "/api/robots/{id}", Map.of("id", robotId), null, op, 200);
        JsonNode second = call("POST", "/api/robots/{id}/tokens", Map.of("id", robotId), null, op, 201).json();
        JsonNode tokens = call("GET", "/api/robots/{id}/tokens", Map.of("id", robotId), null, op, 200).json();
        String secondTokenId = tokens.get(tokens.size() - 1).get("token_id").asText();
        call("POST", "/api/robots/{id}/revoke", Map.of("id", robotId), "{\"token_id\":\"" + secondTokenId + "\"}",
                op, 200);
        assertThat(server.get("/api/agent/deployments", second.get("token").asText()).status()).isEqualTo(401);

        String fleet = call("POST", "/api/fleets", Map.of(), "{\"name\":\"bay\",\"robot_ids\":[]}", op, 201).json()
                .get("id").asText();
        call("GET", "/api/fleets", Map.of(), null, op, 200);
        call("PUT", "/api/fleets/{id}/robots/{robot_id}", Map.of("id", fleet, "robot_id", robotId), null, op, 200);
        call("GET", "/api/fleets/{id}", Map.of("id", fleet), null, op, 200);

        String key = UUID.randomUUID().toString();
        String body = "{\"release_id\":\"" + release + "\",\"target_kind\":\"robot\",\"target_id\":\"" + robotId + "\"}";
        String deployment = call("POST", "/api/deployments", Map.of("Idempotency-Key", key), body, op, 201).json()
                .get("id").asText();
        call("POST", "/api/deployments", Map.of("Idempotency-Key", key), body, op, 201); // the replay
        call("POST", "/api/deployments", Map.of("Idempotency-Key", key), body.replace("}", ",\"force\":true}"), op,
                422);
        call("GET", "/api/deployments", Map.of(), null, op, 200);
        call("GET", "/api/deployments/{id}", Map.of("id", deployment), null, op, 200);
        call("GET", "/api/deployments/{id}/events", Map.of("id", deployment), null, op, 200);

        String robotToken = robot.get("token").asText();
        JsonNode poll = call("GET", "/api/agent/deployments", Map.of(), null, robotToken, 200).json();
        String download = poll.get("deployments").get(0).get("artifact").get("download_url").asText();
        call("GET", "/api/agent/deployments", Map.of("Roboflare-Agent-Progress", deployment + " downloading 10/40"),
                null, robotToken, 200);
        JsonNode progress = call("GET", "/api/robots/{id}", Map.of("id", robotId), null, op, 200).json()
                .get("progress");
        assertThat(progress.get("phase").asText()).as("the robot view's live progress").isEqualTo("downloading");
        String event = "{\"event_id\":\"" + UUID.randomUUID() + "\",\"status\":\"applied\",\"detail\":\"ok\",\"seq\":1}";
        call("POST", "/api/agent/deployments/{id}/events", Map.of("id", deployment), event, robotToken, 201);
        call("POST", "/api/agent/deployments/{id}/events", Map.of("id", deployment), event, robotToken, 200);
        String query = download.substring(download.indexOf('?'));
        call("GET", "/api/artifacts/{id}/download" + query, Map.of("id", artifact), null, null, 200);

        // delta downloads: every upload is chunked; the poll's chunks_url opens the index and the chunk batches
        String chunksUrl = poll.get("deployments").get(0).get("artifact").get("chunks_url").asText();
        String chunksQuery = chunksUrl.substring(chunksUrl.indexOf('?'));
        call("GET", "/api/artifacts/{id}/chunks" + chunksQuery, Map.of("id", artifact), null, null, 200);
        call("GET", "/api/artifacts/{id}/chunks" + query, Map.of("id", artifact), null, null, 403); // download's sig
        JsonNode content = call("GET", "/api/artifacts/{id}/content", Map.of("id", artifact), null, op, 200).json();
        assertThat(content.get("over").asText()).isEqualTo("artifact");
        call("GET", "/api/artifacts/{id}/content", Map.of("id", "no-such-artifact"), null, op, 404);
        call("POST", "/api/artifacts/{id}/chunks" + chunksQuery, Map.of("id", artifact),
                content.get("content_sha256").asText() + "\n", null, 200); // one chunk: the whole small artifact
        call("POST", "/api/artifacts/{id}/chunks" + chunksQuery, Map.of("id", artifact), "0".repeat(64) + "\n",
                null, 400);

        String fleetDeployment = call("POST", "/api/deployments", Map.of("Idempotency-Key", UUID.randomUUID()
                .toString()), "{\"release_id\":\"" + release + "\",\"target_kind\":\"fleet\",\"target_id\":\"" + fleet
                + "\",\"scheduled_at\":\"2099-01-01T00:00:00Z\",\"batch_size\":1}", op, 201).json().get("id").asText();
        call("POST", "/api/deployments/{id}/cancel", Map.of("id", fleetDeployment), null, op, 200);

        call("POST", "/api/orgs", Map.of(), "{\"name\":\"schema-lab\",\"quota\":\"1G\"}", op, 201);
        call("POST", "/api/orgs", Map.of(), "{\"name\":\"schema-lab-2\",\"quota\":\"lots\"}", op, 400);
        call("GET", "/api/orgs", Map.of(), null, op, 200);
        JsonNode quota = call("PUT", "/api/orgs/{name}/quota", Map.of("name", "schema-lab"), "{\"quota\":\"50G\"}", op,
                200).json();
        assertThat(quota.get("quota_bytes").asLong()).isEqualTo(50L << 30);
        call("PUT", "/api/orgs/{name}/quota", Map.of("name", "schema-lab"), "{\"quota\":null}", op, 200);
        call("PUT", "/api/orgs/{name}/quota", Map.of("name", "no-such-lab"), "{\"quota\":\"5G\"}", op, 404);
        String tokenId = call("POST", "/api/operator-tokens", Map.of(), "{\"name\":\"ci\",\"org\":\"schema-lab\"}", op,
                201).json().get("token_id").asText();
        call("GET", "/api/operator-tokens", Map.of(), null, op, 200);
        call("POST", "/api/operator-tokens/{token_id}/revoke", Map.of("token_id", tokenId), "{}", op, 200);
        call("GET", "/api/openapi.json", Map.of(), null, op, 200);

        assertThat(exercised).as("routes this test sent a real request to").isEqualTo(documentedRoutes());
    }

    /**
     * Sends METHOD to the route with its {params} filled in (other entries of {@code values} become headers), and
     * checks the answer against the document: the status is {@code expected} and documented for the route, a JSON
     * body matches the schema documented for that status.
     */
    private TestServer.Reply call(String method, String route, Map<String, String> values, String body, String token,
                                  int expected) {
        String template = route.contains("?") ? route.substring(0, route.indexOf('?')) : route;
        String path = route;
        Map<String, String> headers = new LinkedHashMap<>();
        for (Map.Entry<String, String> v : values.entrySet()) {
            if (path.contains("{" + v.getKey() + "}")) {
                path = path.replace("{" + v.getKey() + "}", v.getValue());
            } else {
                headers.put(v.getKey(), v.getValue());
            }
        }
        if (method.equals("POST") && template.equals("/api/artifacts")) {
            path += "?kind=app_tarball&name=schema-app";
        }
        HttpRequest.Builder b = server.request(path, token);
        headers.forEach(b::header);
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body);
        if (template.equals("/api/artifacts") && method.equals("POST")) {
            b.header("Content-Type", "application/octet-stream");
            publisher = HttpRequest.BodyPublishers.ofString("bytes of the schema app");
        } else if (template.endsWith("/chunks") && body != null) {
            b.header("Content-Type", "text/plain");
        } else if (body != null) {
            b.header("Content-Type", "application/json");
        }
        TestServer.Reply reply = server.send(b.method(method, publisher).build());
        String what = method + " " + template + " -> " + reply.status() + ": " + reply.body();
        assertThat(reply.status()).as(what).isEqualTo(expected);
        JsonNode operation = document.path("paths").path(template).path(method.toLowerCase(Locale.ROOT));
        assertThat(operation.isMissingNode()).as(what + " is not in docs/openapi.json").isFalse();
        JsonNode response = operation.path("responses").path(Integer.toString(reply.status()));
        assertThat(response.isMissingNode()).as(what + ": status not documented").isFalse();
        String contentType = reply.contentType().split(";")[0].strip();
        JsonNode schema = response.path("content").path(contentType).path("schema");
        if (contentType.endsWith("json")) {
            assertThat(schema.isMissingNode()).as(what + ": no schema for " + contentType).isFalse();
            Set<ValidationMessage> errors = SCHEMAS.getSchema(standalone(schema)).validate(reply.json());
            assertThat(errors).as(what).isEmpty();
        }
        exercised.add(method + " " + template);
        return reply;
    }

    /** The schema with the document's components as $defs, so its $refs resolve on their own. */
    private JsonNode standalone(JsonNode schema) {
        try {
            String refs = WireJson.lenient().writeValueAsString(schema).replace("#/components/schemas/", "#/$defs/");
            ObjectNode node = (ObjectNode) WireJson.lenient().readTree(refs);
            node.set("$defs", WireJson.lenient().readTree(WireJson.lenient()
                    .writeValueAsString(document.path("components").path("schemas"))
                    .replace("#/components/schemas/", "#/$defs/")));
            return node;
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private Set<String> documentedRoutes() {
        Set<String> routes = new TreeSet<>();
        document.path("paths").fields().forEachRemaining(p -> p.getValue().fieldNames()
                .forEachRemaining(m -> routes.add(m.toUpperCase(Locale.ROOT) + " " + p.getKey())));
        return routes;
    }
}
