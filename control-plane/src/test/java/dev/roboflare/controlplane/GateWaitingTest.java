package dev.roboflare.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roboflare.protocol.AgentApi;
import java.net.http.HttpRequest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 22: why a robot's update gate holds a deployment back, and since when, travels with the agent's polls as
 * presence (never a status) and is shown in the API, on the status page's robot row and on the deployment page;
 * a poll with progress and without it (the gate opened, or an agent that predates it) clears it, and so does the
 * deployment's end. Over HTTP against a real control plane, on SQLite and PostgreSQL.
 */
@ParameterizedClass
@EnumSource(TestDatabase.class)
class GateWaitingTest {
    @Parameter
    TestDatabase database;

    TestServer server;
    String robotId;
    String token;
    String child;
    String parent;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start(database);
        String release = server.releaseId(server.artifactId("lab-app", "one"), "1.0.0");
        JsonNode robot = server.robot("ot2-bay-3");
        robotId = robot.get("id").asText();
        token = robot.get("token").asText();
        String fleet = server.post("/api/fleets", "{\"name\":\"bay-3\",\"robot_ids\":[\"" + robotId + "\"]}").json()
                .get("id").asText();
        TestServer.Reply r = server.deploy(UUID.randomUUID().toString(), "{\"release_id\":\"" + release
                + "\",\"target_kind\":\"fleet\",\"target_id\":\"" + fleet + "\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        parent = r.json().get("id").asText();
        child = r.json().get("children").get(0).get("id").asText();
        assertThat(poll(null, null).json().get("deployments")).hasSize(1); // dispatched
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void theGatesReasonAndSinceWhenAreShownWhereverTheDeploymentIs() throws Exception {
        Instant since = Instant.now().minusSeconds(42 * 60 + 5);
        AgentApi.Waiting w = new AgentApi.Waiting("run abc running since 14:02", since);
        assertThat(poll(child + " gated", w.header()).status()).isEqualTo(200);

        JsonNode progress = server.get("/api/robots/" + robotId).json().get("progress");
        assertThat(progress.get("phase").asText()).isEqualTo("gated");
        assertThat(progress.get("waiting").get("reason").asText()).isEqualTo("run abc running since 14:02");
        assertThat(Instant.parse(progress.get("waiting").get("since").asText())).isEqualTo(since.truncatedTo(
                java.time.temporal.ChronoUnit.SECONDS));
        JsonNode c = server.get("/api/deployments/" + parent).json().get("children").get(0);
        assertThat(c.get("progress").get("waiting").get("reason").asText()).isEqualTo("run abc running since 14:02");
        assertThat(c.get("status").asText()).as("presence, not a status").isEqualTo("dispatched");
        assertThat(server.get("/api/deployments/" + child + "/events").json()).hasSize(2); // queued, dispatched

        assertThat(robotRow(server.get("/ui").body())).contains("data-phase=\"gated\"",
                "waiting: run abc running since 14:02 (42 min)");
        assertThat(server.get("/ui/deployments/" + parent).body())
                .contains("waiting: run abc running since 14:02 (42 min)");

        // the gate opened: the next progress comes without the waiting header, and the reason goes
        assertThat(poll(child + " switching", null).status()).isEqualTo(200);
        assertThat(server.get("/api/robots/" + robotId).json().get("progress").get("waiting").isNull()).isTrue();
        assertThat(robotRow(server.get("/ui").body())).contains("switching").doesNotContain("waiting:");
        assertThat(storedWaiting()).isNull();

        // gated again, then the deployment ends (here: max-defer on the robot): nothing waits any more
        poll(child + " gated", w.header());
        assertThat(server.get("/api/robots/" + robotId).json().get("progress").get("waiting").isNull()).isFalse();
        TestServer.Reply ended = server.post("/api/agent/deployments/" + child + "/events", "{\"event_id\":\""
                + UUID.randomUUID() + "\",\"status\":\"failed\",\"detail\":\"the robot stayed busy for 12h\"}", token);
        assertThat(ended.status()).as(ended.body()).isEqualTo(201);
        assertThat(storedWaiting()).isNull();
        assertThat(server.get("/api/robots/" + robotId).json().get("progress").isNull()).isTrue();
    }

    @Test
    void anAgentThatPredatesTheWaitingHeaderKeepsItsProgressAndShowsNoWait() {
        assertThat(poll(child + " installing", null).status()).isEqualTo(200);
        JsonNode progress = server.get("/api/robots/" + robotId).json().get("progress");
        assertThat(progress.get("phase").asText()).isEqualTo("installing");
        assertThat(progress.get("waiting").isNull()).isTrue();
        // an unreadable waiting header never fails a poll and never hides the progress
        assertThat(poll(child + " gated", "soon, maybe").status()).isEqualTo(200);
        progress = server.get("/api/robots/" + robotId).json().get("progress");
        assertThat(progress.get("phase").asText()).isEqualTo("gated");
        assertThat(progress.get("waiting").isNull()).isTrue();
        assertThat(robotRow(server.get("/ui").body())).contains("gated");
    }

    private TestServer.Reply poll(String progress, String waiting) {
        HttpRequest.Builder b = server.request("/api/agent/deployments", token);
        if (progress != null) {
            b.header(AgentApi.PROGRESS_HEADER, progress);
        }
        if (waiting != null) {
            b.header(AgentApi.WAITING_HEADER, waiting);
        }
        return server.send(b.GET().build());
    }

    private String storedWaiting() throws Exception {
        server.get("/api/robots/" + robotId); // writes the pending presence first
        try (Connection c = server.jdbc();
             PreparedStatement ps = c.prepareStatement("SELECT agent_waiting FROM robots WHERE id = ?")) {
            ps.setString(1, robotId);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getString(1);
            }
        }
    }

    private static String robotRow(String html) {
        Matcher m = Pattern.compile("<tr class=\"robot[^\"]*\" data-robot=\"ot2-bay-3\">.*?</tr>", Pattern.DOTALL)
                .matcher(html);
        assertThat(m.find()).as("a row for the robot").isTrue();
        return m.group();
    }
}
