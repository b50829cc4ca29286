package dev.roboflare.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Random request bodies (fixed seed, so a failure reproduces) against every JSON endpoint: the answer is never a
 * 5xx, every error is problem+json, and the server keeps working.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ParameterizedClass
@EnumSource(TestDatabase.class)
class RequestBodyFuzzTest {
    @Parameter
    TestDatabase database;
    TestServer server;
    String releaseId;
    String robotId;

    @BeforeParameterizedClassInvocation
    void start(TestDatabase database) throws IOException {
        server = TestServer.start(database);
        releaseId = server.newRelease();
        robotId = server.robot("fuzz").get("id").asText();
    }

    @AfterParameterizedClassInvocation
    void stop() {
        server.close();
    }

    private static final List<String> FIELDS = List.of("release_id", "target_kind", "target_id", "scheduled_at",
            "name", "robot_ids", "artifact_id", "semver", "notes", "manifest_json", "event_id", "status", "detail", "x");

    private String value(Random r, int depth) {
        return switch (r.nextInt(depth > 2 ? 9 : 12)) {
            case 0 -> "null";
            case 1 -> Long.toString(r.nextLong());
            case 2 -> r.nextBoolean() ? "true" : "1e999";
            case 3 -> "\"" + releaseId + "\"";
            case 4 -> "\"" + robotId + "\"";
            case 5 -> "\"" + List.of("robot", "fleet", "2026-06-01T03:00:00Z", "2001-01-01T00:00:00Z", "1.0.0",
                    "v1", "\\u0000", "applied", "").get(r.nextInt(9)) + "\"";
            case 6 -> "\"" + "x".repeat(r.nextInt(3) == 0 ? 300 : 5) + "\"";
            case 7 -> "\"" + new String(Character.toChars(0x1F600 + r.nextInt(50))) + "\"";
            case 8 -> "-0.0";
            case 9 -> "[" + value(r, depth + 1) + "," + value(r, depth + 1) + "]";
            default -> object(r, depth + 1);
        };
    }

    private String object(Random r, int depth) {
        StringBuilder sb = new StringBuilder("{");
        int n = r.nextInt(6);
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append('"').append(FIELDS.get(r.nextInt(FIELDS.size()))).append("\":").append(value(r, depth));
        }
        return sb.append('}').toString();
    }

    private String mangle(Random r, String json) {
        if (json.isEmpty() || r.nextInt(4) != 0) {
            return json;
        }
        int at = r.nextInt(json.length());
        return switch (r.nextInt(3)) {
            case 0 -> json.substring(0, at);
            case 1 -> json.substring(0, at) + "\"{[,:" + json.substring(at);
            default -> json + json;
        };
    }

    @Test
    void randomBodiesNeverCauseA5xx() {
        Random r = new Random(20260520L);
        List<String> paths = List.of("/api/deployments", "/api/releases", "/api/robots", "/api/fleets");
        for (int i = 0; i < 300; i++) {
            String path = paths.get(r.nextInt(paths.size()));
            String body = mangle(r, object(r, 0));
            TestServer.Reply reply = path.equals("/api/deployments")
                    ? server.deploy(UUID.randomUUID().toString(), body) : server.post(path, body);
            assertThat(reply.status()).as(path + " " + body + " -> " + reply.body()).isLessThan(500);
            if (reply.status() >= 400) {
                assertThat(reply.contentType()).as(body).startsWith("application/problem+json");
            }
        }
        assertThat(server.deployToRobot(releaseId, robotId).get("status").asText()).isEqualTo("dispatched");
    }

    @Test
    void hugeBodiesAre413EvenWithoutContentLength() {
        String huge = "{\"name\":\"" + "x".repeat(1_100_000) + "\"}";
        ProblemAssert.assertProblem(server.post("/api/robots", huge), 413, "limited");
        TestServer.Reply chunked = server.send(server.request("/api/robots", server.operatorToken)
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream(huge.getBytes()))).build());
        ProblemAssert.assertProblem(chunked, 413, "limited");
    }
}
