package dev.roboflare.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roboflare.controlplane.deploy.RobotEventSequence;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** What robots report besides outcomes: their event sequence numbers, their clock skew, their metrics summary. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ParameterizedClass
@EnumSource(TestDatabase.class)
class RobotReportsTest {
    @Parameter
    TestDatabase database;

    TestServer server;
    String releaseId;

    @BeforeParameterizedClassInvocation
    void start(TestDatabase database) throws IOException {
        server = TestServer.start(database);
        String artifactId = server.upload("app_tarball", "reports-app",
                "reports".getBytes(StandardCharsets.UTF_8)).json().get("id").asText();
        releaseId = server.releaseId(artifactId, "3.0.0");
    }

    @AfterParameterizedClassInvocation
    void stop() {
        server.close();
    }

    TestServer.Reply poll(String token, String skew, String metrics) {
        var b = server.request("/api/agent/deployments", token);
        if (skew != null) {
            b.header("Roboflare-Clock-Skew-Ms", skew);
        }
        if (metrics != null) {
            b.header("Roboflare-Agent-Metrics", metrics);
        }
        return server.send(b.GET().build());
    }

    TestServer.Reply report(String token, String deploymentId, String status, String seq) {
        return server.post("/api/agent/deployments/" + deploymentId + "/events", "{\"event_id\":\""
                + UUID.randomUUID() + "\",\"status\":\"" + status + "\",\"detail\":\"d\""
                + (seq == null ? "" : ",\"seq\":" + seq) + "}", token);
    }

    @Test
    void theLatestPollsClockSkewAndMetricsAreOnTheRobotAndTheStatusPage() {
        JsonNode c = server.robot("skewed");
        String id = c.get("id").asText();
        String token = c.get("token").asText();
        JsonNode before = server.get("/api/robots/" + id).json();
        assertThat(before.get("clock_skew_ms").isNull()).isTrue();
        assertThat(before.get("agent_metrics").isNull()).isTrue();
        assertThat(before.get("agent_reported_at").isNull()).isTrue();

        assertThat(poll(token, "-1500", "applied=1 failed=0 rolled_back=0 poll_errors=2 outbox=0").status())
                .isEqualTo(200);
        assertThat(poll(token, "93000", "applied=2 failed=0 rolled_back=0 poll_errors=2 outbox=0").status())
                .isEqualTo(200);
        JsonNode r = server.get("/api/robots/" + id).json();
        assertThat(r.get("clock_skew_ms").asLong()).isEqualTo(93000);
        assertThat(r.get("agent_metrics").asText()).isEqualTo("applied=2 failed=0 rolled_back=0 poll_errors=2 outbox=0");
        assertThat(r.get("agent_reported_at").isNull()).isFalse();

        // a poll without the headers, or with an unreadable skew, keeps what the robot reported last
        assertThat(poll(token, null, null).status()).isEqualTo(200);
        assertThat(poll(token, "soon", null).status()).isEqualTo(200);
        r = server.get("/api/robots/" + id).json();
        assertThat(r.get("clock_skew_ms").asLong()).isEqualTo(93000);
        assertThat(r.get("agent_metrics").asText()).startsWith("applied=2 ");
        JsonNode listed = server.get("/api/robots").json();
        assertThat(listed.findValues("agent_metrics")).extracting(JsonNode::asText)
                .contains("applied=2 failed=0 rolled_back=0 poll_errors=2 outbox=0");

        String html = server.get("/ui").body();
        assertThat(html).contains("clock 93.0 s behind").contains("applied=2 failed=0 rolled_back=0 poll_errors=2");
        assertThat(poll(token, "-250", "x<b>y".repeat(200)).status()).isEqualTo(200);
        r = server.get("/api/robots/" + id).json();
        assertThat(r.get("agent_metrics").asText()).hasSize(500);
        html = server.get("/ui").body();
        assertThat(html).contains("clock 0.3 s ahead").contains("x&lt;b&gt;y").doesNotContain("x<b>y");
    }

    @Test
    void aRobotsEventSequenceNumberIsStoredWithItsEvent() {
        JsonNode c = server.robot("numbered");
        String id = c.get("id").asText();
        String token = c.get("token").asText();
        String first = server.deployToRobot(releaseId, id).get("id").asText();
        assertThat(report(token, first, "applied", "7").status()).isEqualTo(201);
        String second = server.deployToRobot(releaseId, id).get("id").asText();
        assertThat(report(token, second, "applied", "0").status()).isEqualTo(400);
        // 8 and 9 never arrived: stored all the same (the gap is logged)
        assertThat(report(token, second, "failed", "10").status()).isEqualTo(201);
        String third = server.deployToRobot(releaseId, id).get("id").asText();
        assertThat(report(token, third, "applied", null).status()).as("agents without seq still work")
                .isEqualTo(201);

        JsonNode events = server.get("/api/deployments/" + first + "/events").json();
        assertThat(events).extracting(e -> e.get("status").asText()).containsExactly("queued", "dispatched", "applied");
        assertThat(events.get(0).get("robot_seq").isNull()).as("control-plane events have none").isTrue();
        assertThat(events.get(2).get("robot_seq").asLong()).isEqualTo(7);
        JsonNode secondEvents = server.get("/api/deployments/" + second + "/events").json();
        assertThat(secondEvents.get(secondEvents.size() - 1).get("robot_seq").asLong()).isEqualTo(10);
        JsonNode thirdEvents = server.get("/api/deployments/" + third + "/events").json();
        assertThat(thirdEvents.get(thirdEvents.size() - 1).get("robot_seq").isNull()).isTrue();
    }

    @Test
    void eventNumbersThatNeverArrivedAreCountedOnTheRobotAndTheStatusPage() {
        JsonNode c = server.robot("gappy");
        String id = c.get("id").asText();
        String token = c.get("token").asText();
        assertThat(server.get("/api/robots/" + id).json().get("missing_event_seqs").isNull()).isTrue();

        reportNumbered(token, id, "1");
        reportNumbered(token, id, "4"); // 2 and 3 are still in the robot's outbox
        JsonNode view = server.get("/api/robots/" + id).json();
        assertThat(view.get("last_event_seq").asLong()).isEqualTo(4);
        assertThat(view.get("missing_event_seqs").asLong()).isEqualTo(2);
        assertThat(server.get("/ui").body()).contains("2 events not received (up to #4)");

        reportNumbered(token, id, "3");
        reportNumbered(token, id, "2"); // late, but here now
        view = server.get("/api/robots/" + id).json();
        assertThat(view.get("last_event_seq").asLong()).isEqualTo(4);
        assertThat(view.get("missing_event_seqs").asLong()).isZero();
        assertThat(server.get("/ui").body()).doesNotContain("not received (up to #4)");
    }

    private void reportNumbered(String token, String robotId, String seq) {
        String deployment = server.deployToRobot(releaseId, robotId).get("id").asText();
        assertThat(report(token, deployment, "applied", seq).status()).isEqualTo(201);
    }

    @Test
    void sequenceJudgement() {
        assertThat(RobotEventSequence.judge(null, 5)).isNull();
        assertThat(RobotEventSequence.judge(4L, 5)).isNull();
        assertThat(RobotEventSequence.judge(4L, 6)).startsWith("gap: robot event seq 6 follows 4; 1 event (5) ");
        assertThat(RobotEventSequence.judge(4L, 9)).startsWith("gap: robot event seq 9 follows 4; 4 events (5..8) ");
        assertThat(RobotEventSequence.judge(9L, 6)).isEqualTo("out of order: robot event seq 6 arrived after 9 (a late event)");
        assertThat(RobotEventSequence.judge(9L, 9)).contains("the same number");
    }
}
