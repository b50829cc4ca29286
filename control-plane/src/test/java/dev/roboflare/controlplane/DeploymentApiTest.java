package dev.roboflare.controlplane;

import static dev.roboflare.controlplane.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.UUID;
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
class DeploymentApiTest {
    @Parameter
    TestDatabase database;

    TestServer server;
    String releaseId;

    @BeforeParameterizedClassInvocation
    void start(TestDatabase database) throws IOException {
        server = TestServer.start(database);
        releaseId = server.newRelease();
    }

    @AfterParameterizedClassInvocation
    void stop() {
        server.close();
    }

    private String robotBody(String robotId) {
        return "{\"release_id\":\"" + releaseId + "\",\"target_kind\":\"robot\",\"target_id\":\"" + robotId + "\"}";
    }

    private static List<String> statuses(JsonNode events) {
        List<String> out = new ArrayList<>();
        events.forEach(e -> out.add(e.get("status").asText()));
        return out;
    }

    @Test
    void robotDeploymentIsDispatchedAtOnceWithQueuedThenDispatchedEvents() {
        String robotId = server.robot("r1").get("id").asText();
        TestServer.Reply r = server.deploy(UUID.randomUUID().toString(), robotBody(robotId));

        assertThat(r.status()).as(r.body()).isEqualTo(201);
        JsonNode d = r.json();
        assertThat(d.get("status").asText()).isEqualTo("dispatched");
        assertThat(d.get("target_kind").asText()).isEqualTo("robot");
        assertThat(d.get("target_id").asText()).isEqualTo(robotId);
        assertThat(d.get("release_id").asText()).isEqualTo(releaseId);
        assertThat(d.get("parent_id").isNull()).isTrue();
        assertThat(d.get("children")).isEmpty();

        String id = d.get("id").asText();
        assertThat(server.get("/api/deployments/" + id).json()).isEqualTo(d);
        JsonNode events = server.get("/api/deployments/" + id + "/events").json();
        assertThat(statuses(events)).containsExactly("queued", "dispatched");
        assertThat(events.get(0).get("event_id").asText()).isNotBlank();

        JsonNode robot = server.get("/api/robots/" + robotId).json();
        assertThat(robot.get("last_deployment_id").asText()).isEqualTo(id);
        assertThat(robot.get("last_deployment_status").asText()).isEqualTo("dispatched");
    }

    @Test
    void replayingTheIdempotencyKeyReturnsTheSameDeploymentAndCreatesNothing() {
        String robotId = server.robot("r2").get("id").asText();
        String key = UUID.randomUUID().toString();
        TestServer.Reply first = server.deploy(key, robotBody(robotId));
        // same meaning, different bytes: whitespace and key order do not matter
        TestServer.Reply replay = server.deploy(key, "{ \"target_id\": \"" + robotId + "\", \"target_kind\": \"robot\","
                + " \"release_id\": \"" + releaseId + "\" }");

        assertThat(first.status()).isEqualTo(201);
        assertThat(replay.status()).isEqualTo(200);
        assertThat(replay.json().get("id")).isEqualTo(first.json().get("id"));
        assertThat(server.get("/api/deployments?robot_id=" + robotId).json()).hasSize(1);
        assertThat(server.get("/api/deployments/" + first.json().get("id").asText() + "/events").json()).hasSize(2);
    }

    @Test
    void concurrentRetriesWithOneKeyCreateExactlyOneDeployment() throws Exception {
        String robotId = server.robot("flaky-link").get("id").asText();
        String key = UUID.randomUUID().toString();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<TestServer.Reply>> replies = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                replies.add(pool.submit(() -> server.deploy(key, robotBody(robotId))));
            }
            List<Integer> codes = new ArrayList<>();
            Set<String> ids = new HashSet<>();
            for (Future<TestServer.Reply> f : replies) {
                codes.add(f.get().status());
                ids.add(f.get().json().get("id").asText());
            }
            assertThat(codes).containsOnly(200, 201).containsOnlyOnce(201);
            assertThat(ids).hasSize(1);
            assertThat(server.get("/api/deployments?robot_id=" + robotId).json()).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void sameKeyWithADifferentBodyIs422() {
        String a = server.robot("r3").get("id").asText();
        String b = server.robot("r4").get("id").asText();
        String key = UUID.randomUUID().toString();
        assertThat(server.deploy(key, robotBody(a)).status()).isEqualTo(201);
        assertProblem(server.deploy(key, robotBody(b)), 422, "different body");
        assertThat(server.get("/api/deployments?robot_id=" + b).json()).isEmpty();
    }

    @Test
    void missingIdempotencyKeyIs400ProblemJson() {
        String robotId = server.robot("r5").get("id").asText();
        assertProblem(server.deploy(null, robotBody(robotId)), 400, "Idempotency-Key");
        assertThat(server.get("/api/deployments?robot_id=" + robotId).json()).isEmpty();
    }

    @Test
    void fleetDeploymentFansOutToOneDispatchedChildPerRobotEachWithItsOwnEvents() {
        String a = server.robot("f-a").get("id").asText();
        String b = server.robot("f-b").get("id").asText();
        String fleetId = server.post("/api/fleets", "{\"name\":\"line-1\",\"robot_ids\":[\"" + a + "\",\"" + b + "\"]}")
                .json().get("id").asText();
        TestServer.Reply r = server.deploy(UUID.randomUUID().toString(), "{\"release_id\":\"" + releaseId
                + "\",\"target_kind\":\"fleet\",\"target_id\":\"" + fleetId + "\"}");

        assertThat(r.status()).as(r.body()).isEqualTo(201);
        JsonNode parent = r.json();
        assertThat(parent.get("target_kind").asText()).isEqualTo("fleet");
        assertThat(parent.get("status").asText()).isEqualTo("dispatched");
        assertThat(parent.get("children")).hasSize(2);
        List<String> childRobots = new ArrayList<>();
        for (JsonNode child : parent.get("children")) {
            childRobots.add(child.get("robot_id").asText());
            assertThat(child.get("status").asText()).isEqualTo("dispatched");
            JsonNode full = server.get("/api/deployments/" + child.get("id").asText()).json();
            assertThat(full.get("parent_id").asText()).isEqualTo(parent.get("id").asText());
            assertThat(full.get("target_kind").asText()).isEqualTo("robot");
            assertThat(statuses(server.get("/api/deployments/" + child.get("id").asText() + "/events").json()))
                    .containsExactly("queued", "dispatched");
        }
        assertThat(childRobots).containsExactlyInAnyOrder(a, b);
        assertThat(statuses(server.get("/api/deployments/" + parent.get("id").asText() + "/events").json()))
                .containsExactly("queued", "dispatched");
        // the children show up in each robot's own history
        assertThat(server.get("/api/deployments?robot_id=" + a).json().get(0).get("parent_id").asText())
                .isEqualTo(parent.get("id").asText());
    }

    @Test
    void futureScheduledDeploymentStaysQueued() {
        String robotId = server.robot("later").get("id").asText();
        Instant at = Instant.now().plus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        TestServer.Reply r = server.deploy(UUID.randomUUID().toString(), "{\"release_id\":\"" + releaseId
                + "\",\"target_kind\":\"robot\",\"target_id\":\"" + robotId + "\",\"scheduled_at\":\"" + at + "\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        assertThat(r.json().get("status").asText()).isEqualTo("queued");
        assertThat(Instant.parse(r.json().get("scheduled_at").asText())).isEqualTo(at);
    }

    @Test
    void listingByRobotIsNewestFirst() {
        String robotId = server.robot("hist").get("id").asText();
        String first = server.deployToRobot(releaseId, robotId).get("id").asText();
        String second = server.deployToRobot(releaseId, robotId).get("id").asText();
        JsonNode list = server.get("/api/deployments?robot_id=" + robotId).json();
        assertThat(list).extracting(n -> n.get("id").asText()).containsExactly(second, first);
        assertThat(server.get("/api/deployments").json().findValuesAsText("id")).contains(first, second);
    }

    @Test
    void badDeploymentRequestsAreProblems() {
        String robotId = server.robot("bad").get("id").asText();
        String key = UUID.randomUUID().toString();
        assertProblem(server.deploy(key, "{\"release_id\":\"nope\",\"target_kind\":\"robot\",\"target_id\":\""
                + robotId + "\"}"), 422, "release_id");
        assertProblem(server.deploy(key, robotBody("ghost")), 422, "not a robot");
        assertProblem(server.deploy(key, "{\"release_id\":\"" + releaseId
                + "\",\"target_kind\":\"fleet\",\"target_id\":\"ghost\"}"), 422, "not a fleet");
        String emptyFleet = server.post("/api/fleets", "{\"name\":\"none\"}").json().get("id").asText();
        assertProblem(server.deploy(key, "{\"release_id\":\"" + releaseId
                + "\",\"target_kind\":\"fleet\",\"target_id\":\"" + emptyFleet + "\"}"), 422, "no robots");
        assertProblem(server.deploy(key, "{\"release_id\":\"" + releaseId
                + "\",\"target_kind\":\"moon\",\"target_id\":\"" + robotId + "\"}"), 400, "robot or fleet");
        assertProblem(server.deploy(key, "{\"release_id\":\"" + releaseId + "\",\"target_kind\":\"robot\",\"target_id\":\""
                + robotId + "\",\"scheduled_at\":\"tomorrow\"}"), 400, "RFC 3339");
        assertProblem(server.deploy(key, "{\"release_id\":\"" + releaseId + "\",\"target_kind\":\"robot\",\"target_id\":\""
                + robotId + "\",\"scheduled_at\":1780000000}"), 400, "RFC 3339");
        assertProblem(server.deploy(key, "{\"release_id\":\"" + releaseId + "\",\"target_kind\":\"robot\"}"),
                400, "target_id");
        assertProblem(server.deploy(key, "{not json"), 400, "not valid JSON");
        // none of the failures used up the key
        assertThat(server.deploy(key, robotBody(robotId)).status()).isEqualTo(201);
        assertProblem(server.get("/api/deployments/nope"), 404, "nope");
        assertProblem(server.get("/api/deployments/nope/events"), 404, "nope");
        assertProblem(server.get("/api/deployments?robot_id=ghost"), 404, "ghost");
    }
}
