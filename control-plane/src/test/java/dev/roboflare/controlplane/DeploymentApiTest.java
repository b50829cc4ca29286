package dev.roboflare.controlplane;

import dev.roboflare.protocol.Sha256;
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

    private static String fresh() {
        return UUID.randomUUID().toString();
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
        // the original response again: same status, same bytes
        assertThat(replay.status()).isEqualTo(201);
        assertThat(replay.body()).isEqualTo(first.body());
        assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(first.header("Idempotent-Replayed")).isNull();
        assertThat(server.get("/api/deployments?robot_id=" + robotId).json()).hasSize(1);
        assertThat(server.get("/api/deployments/" + first.json().get("id").asText() + "/events").json()).hasSize(2);
    }

    @Test
    void concurrentRetriesWithOneKeyCreateExactlyOneDeployment() throws Exception {
        String robotId = server.robot("flaky-link").get("id").asText();
        String key = UUID.randomUUID().toString();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            List<Future<TestServer.Reply>> replies = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                replies.add(pool.submit(() -> {
                    go.await();
                    return server.deploy(key, robotBody(robotId));
                }));
            }
            go.countDown();
            List<Integer> codes = new ArrayList<>();
            Set<String> createdBodies = new HashSet<>();
            for (Future<TestServer.Reply> f : replies) {
                TestServer.Reply r = f.get();
                codes.add(r.status());
                if (r.status() == 201) {
                    createdBodies.add(r.body());
                } else {
                    assertProblem(r, 409, "still being processed");
                }
            }
            // each retry either got the original response or was told the original is still in flight
            assertThat(codes).isSubsetOf(201, 409).contains(201);
            assertThat(createdBodies).hasSize(1);
            assertThat(server.get("/api/deployments?robot_id=" + robotId).json()).hasSize(1);
            TestServer.Reply later = server.deploy(key, robotBody(robotId));
            assertThat(later.status()).isEqualTo(201);
            assertThat(createdBodies).containsExactly(later.body());
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
        assertProblem(server.deploy(fresh(), "{\"release_id\":\"nope\",\"target_kind\":\"robot\",\"target_id\":\""
                + robotId + "\"}"), 422, "release_id");
        assertProblem(server.deploy(fresh(), robotBody("ghost")), 422, "not a robot");
        assertProblem(server.deploy(fresh(), "{\"release_id\":\"" + releaseId
                + "\",\"target_kind\":\"fleet\",\"target_id\":\"ghost\"}"), 422, "not a fleet");
        String emptyFleet = server.post("/api/fleets", "{\"name\":\"none\"}").json().get("id").asText();
        assertProblem(server.deploy(fresh(), "{\"release_id\":\"" + releaseId
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
        assertProblem(server.deploy(key, "{\"release_id\":\"" + releaseId + "\",\"target_kind\":\"robot\",\"target_id\":\""
                + robotId + "\",\"surprise\":1}"), 400, "unknown field 'surprise'");
        assertProblem(server.deploy(key, "{\"release_id\":\"" + releaseId + "\",\"target_kind\":\"robot\",\"target_id\":\""
                + robotId + "\",\"scheduled_at\":\"2020-01-01T00:00:00Z\"}"), 422, "scheduled_at");
        // none of the 400s used up the key (the request was never understood); the 422 above used its own
        key = UUID.randomUUID().toString();
        assertThat(server.deploy(key, robotBody(robotId)).status()).isEqualTo(201);
        assertProblem(server.get("/api/deployments/nope"), 404, "nope");
        assertProblem(server.get("/api/deployments/nope/events"), 404, "nope");
        assertProblem(server.get("/api/deployments?robot_id=ghost"), 404, "ghost");
    }

    private String scope() {
        return "op:" + Sha256.hex(server.operatorToken).substring(0, 16);
    }

    @Test
    void anErrorResponseIsStoredAndReplayedToo() {
        String key = fresh();
        String body = "{\"release_id\":\"gone\",\"target_kind\":\"robot\",\"target_id\":\"x\"}";
        TestServer.Reply first = server.deploy(key, body);
        assertProblem(first, 422, "release_id");
        TestServer.Reply again = server.deploy(key, body);
        assertProblem(again, 422, "release_id");
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
    }

    @Test
    void aKeyStillInFlightIs409AndAnExpiredKeyIsFreshAgain() throws Exception {
        String robotId = server.robot("in-flight").get("id").asText();
        String key = fresh();
        long now = java.time.temporal.ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
        try (java.sql.Connection c = server.jdbc(); java.sql.PreparedStatement ps = c.prepareStatement(
                "INSERT INTO idempotency_records (scope, idempotency_key, request_sha256, state, claimed_at, expires_at)"
                        + " VALUES (?, ?, ?, 'in_flight', ?, ?)")) {
            ps.setString(1, scope());
            ps.setString(2, key);
            ps.setString(3, "0".repeat(64));
            ps.setLong(4, now);
            ps.setLong(5, now + 3_600_000_000L);
            ps.executeUpdate();
        }
        // another body: 422 wins; the same fingerprint would be 409 (here the stored fingerprint is a dummy)
        assertProblem(server.deploy(key, robotBody(robotId)), 422, "different body");
        try (java.sql.Connection c = server.jdbc(); java.sql.PreparedStatement ps = c.prepareStatement(
                "UPDATE idempotency_records SET request_sha256 = ? WHERE idempotency_key = ?")) {
            ps.setString(1, dev.roboflare.controlplane.deploy.DeploymentCreator.fingerprint(
                    new dev.roboflare.protocol.OperatorApi.CreateDeployment(releaseId,
                            dev.roboflare.protocol.TargetKind.ROBOT, robotId, null)));
            ps.setString(2, key);
            ps.executeUpdate();
        }
        assertProblem(server.deploy(key, robotBody(robotId)), 409, "still being processed");
        // expire it: the key is free again and creates a new deployment
        try (java.sql.Connection c = server.jdbc(); java.sql.PreparedStatement ps = c.prepareStatement(
                "UPDATE idempotency_records SET expires_at = ? WHERE idempotency_key = ?")) {
            ps.setLong(1, now - 1);
            ps.setString(2, key);
            ps.executeUpdate();
        }
        assertThat(server.deploy(key, robotBody(robotId)).status()).isEqualTo(201);
        assertThat(server.get("/api/deployments?robot_id=" + robotId).json()).hasSize(1);
    }

    @Test
    void aNewerDeploymentSupersedesOlderUndeliveredOnesAndCancelStopsTheRest() {
        String a = server.robot("sup-a").get("id").asText();
        String b = server.robot("sup-b").get("id").asText();
        String older = server.deployToRobot(releaseId, a).get("id").asText();
        String fleetId = server.post("/api/fleets", "{\"name\":\"sup\",\"robot_ids\":[\"" + a + "\",\"" + b + "\"]}")
                .json().get("id").asText();
        JsonNode fleet = server.deploy(fresh(), "{\"release_id\":\"" + releaseId
                + "\",\"target_kind\":\"fleet\",\"target_id\":\"" + fleetId + "\"}").json();
        String childOfA = null;
        for (JsonNode child : fleet.get("children")) {
            if (child.get("robot_id").asText().equals(a)) {
                childOfA = child.get("id").asText();
            }
        }
        JsonNode olderEvents = server.get("/api/deployments/" + older + "/events").json();
        assertThat(statuses(olderEvents)).containsExactly("queued", "dispatched", "failed");
        assertThat(olderEvents.get(2).get("detail").asText()).isEqualTo("superseded by " + childOfA);
        assertThat(fleet.get("summary").get("dispatched").asInt()).isEqualTo(2);
        assertThat(fleet.get("summary").get("failed").asInt()).isZero();

        JsonNode cancelled = server.post("/api/deployments/" + fleet.get("id").asText() + "/cancel", "").json();
        assertThat(cancelled.get("summary").get("failed").asInt()).isEqualTo(2);
        assertThat(cancelled.get("summary").get("dispatched").asInt()).isZero();
        assertThat(server.get("/api/deployments/" + childOfA + "/events").json().get(2).get("detail").asText())
                .isEqualTo("cancelled by operator");
        // cancelling again changes nothing; unknown ids are 404
        assertThat(server.post("/api/deployments/" + fleet.get("id").asText() + "/cancel", "").json().get("summary"))
                .isEqualTo(cancelled.get("summary"));
        assertProblem(server.post("/api/deployments/nope/cancel", ""), 404, "nope");
    }

    @Test
    void aFleetOfTenThousandRobotsFansOutInOneRequest() throws Exception {
        int n = 10_000;
        String fleetId = server.post("/api/fleets", "{\"name\":\"big\"}").json().get("id").asText();
        long now = java.time.temporal.ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
        try (java.sql.Connection c = server.jdbc()) {
            c.setAutoCommit(false);
            try (java.sql.PreparedStatement robot = c.prepareStatement(
                    "INSERT INTO robots (id, name, created_at) VALUES (?, ?, ?)");
                 java.sql.PreparedStatement member = c.prepareStatement(
                         "INSERT INTO fleet_robots (fleet_id, robot_id, added_at) VALUES (?, ?, ?)")) {
                for (int i = 0; i < n; i++) {
                    String id = UUID.randomUUID().toString();
                    robot.setString(1, id);
                    robot.setString(2, "big-" + i);
                    robot.setLong(3, now);
                    robot.addBatch();
                    member.setString(1, fleetId);
                    member.setString(2, id);
                    member.setLong(3, now + i);
                    member.addBatch();
                }
                robot.executeBatch();
                member.executeBatch();
            }
            c.commit();
        }
        long started = System.nanoTime();
        TestServer.Reply r = server.deploy(fresh(), "{\"release_id\":\"" + releaseId
                + "\",\"target_kind\":\"fleet\",\"target_id\":\"" + fleetId + "\"}");
        long millis = (System.nanoTime() - started) / 1_000_000;
        System.out.println("fan-out of " + n + " robots on " + database + ": " + millis + " ms");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        assertThat(r.json().get("children")).hasSize(n);
        assertThat(r.json().get("summary").get("dispatched").asInt()).isEqualTo(n);
    }
}
