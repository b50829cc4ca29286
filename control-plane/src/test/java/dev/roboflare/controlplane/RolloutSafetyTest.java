package dev.roboflare.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roboflare.protocol.AgentApi;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Auto-halt on max_failure_ratio, staged waves (batch_size) and quarantine after a rollback. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ParameterizedClass
@EnumSource(TestDatabase.class)
class RolloutSafetyTest {
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

    /** robot id → token, for a fresh fleet of {@code size}; the fleet id is under key "fleet". */
    private Map<String, String> fleet(int size) {
        Map<String, String> tokens = new HashMap<>();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            JsonNode r = server.robot("r" + i);
            tokens.put(r.get("id").asText(), r.get("token").asText());
            ids.add("\"" + r.get("id").asText() + "\"");
        }
        String fleetId = server.post("/api/fleets", "{\"name\":\"f\",\"robot_ids\":[" + String.join(",", ids) + "]}")
                .json().get("id").asText();
        tokens.put("fleet", fleetId);
        return tokens;
    }

    private JsonNode deployFleet(String release, String fleetId, String extra) {
        TestServer.Reply r = server.deploy(UUID.randomUUID().toString(), "{\"release_id\":\"" + release
                + "\",\"target_kind\":\"fleet\",\"target_id\":\"" + fleetId + "\"" + extra + "}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json();
    }

    private void report(String token, String deploymentId, String status) {
        TestServer.Reply r = server.post("/api/agent/deployments/" + deploymentId + "/events", "{\"event_id\":\""
                + UUID.randomUUID() + "\",\"status\":\"" + status + "\",\"detail\":\"test\"}", token);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
    }

    private JsonNode view(String id) {
        return server.get("/api/deployments/" + id).json();
    }

    private List<JsonNode> children(JsonNode parent, String status) {
        List<JsonNode> out = new ArrayList<>();
        view(parent.get("id").asText()).get("children").forEach(c -> {
            if (c.get("status").asText().equals(status)) {
                out.add(c);
            }
        });
        return out;
    }

    private JsonNode lastEvent(String id) {
        JsonNode events = server.get("/api/deployments/" + id + "/events").json();
        return events.get(events.size() - 1);
    }

    @Test
    void fleetHaltsWhenFailuresCrossTheDefaultRatioOnceFiveChildrenFinished() {
        Map<String, String> f = fleet(8);
        JsonNode d = deployFleet(server.newRelease(), f.get("fleet"), "");
        List<JsonNode> kids = children(d, "dispatched");
        assertThat(kids).hasSize(8);
        String[] outcomes = {"applied", "failed", "applied", "applied"}; // 1 of 4: not judged yet (fewer than 5)
        for (int i = 0; i < outcomes.length; i++) {
            report(f.get(kids.get(i).get("robot_id").asText()), kids.get(i).get("id").asText(), outcomes[i]);
        }
        assertThat(view(d.get("id").asText()).get("status").asText()).isEqualTo("dispatched");

        report(f.get(kids.get(4).get("robot_id").asText()), kids.get(4).get("id").asText(), "rolled_back"); // 2 of 5

        JsonNode halted = view(d.get("id").asText());
        assertThat(halted.get("status").asText()).isEqualTo("failed");
        assertThat(lastEvent(d.get("id").asText()).get("detail").asText())
                .startsWith("auto-halted: 2 of 5 finished children failed or rolled back (ratio 0.40, max_failure_ratio 0.20)")
                .contains("3 children without an outcome were stopped");
        assertThat(halted.get("summary").get("failed").asInt()).isEqualTo(4);
        for (int i = 5; i < 8; i++) {
            String robotToken = f.get(kids.get(i).get("robot_id").asText());
            assertThat(server.get("/api/agent/deployments", robotToken).json().get("deployments")).isEmpty();
            assertThat(lastEvent(kids.get(i).get("id").asText()).get("detail").asText()).startsWith("auto-halted");
        }
    }

    @Test
    void batchesGoOutInWavesWhileTheRatioHolds() {
        Map<String, String> f = fleet(5);
        JsonNode d = deployFleet(server.newRelease(), f.get("fleet"), ",\"batch_size\":2,\"max_failure_ratio\":0.5");
        List<JsonNode> wave1 = children(d, "dispatched");
        assertThat(wave1).hasSize(2);
        assertThat(children(d, "queued")).hasSize(3);

        report(f.get(wave1.get(0).get("robot_id").asText()), wave1.get(0).get("id").asText(), "applied");
        assertThat(children(d, "queued")).hasSize(3); // the wave is not finished yet
        report(f.get(wave1.get(1).get("robot_id").asText()), wave1.get(1).get("id").asText(), "applied");

        List<JsonNode> wave2 = children(d, "dispatched");
        assertThat(wave2).hasSize(2);
        assertThat(lastEvent(d.get("id").asText()).get("detail").asText()).startsWith("wave 2 of 3 dispatched");
        report(f.get(wave2.get(0).get("robot_id").asText()), wave2.get(0).get("id").asText(), "failed");
        report(f.get(wave2.get(1).get("robot_id").asText()), wave2.get(1).get("id").asText(), "applied");

        List<JsonNode> wave3 = children(d, "dispatched"); // 1 of 4 failed: within 0.5
        assertThat(wave3).hasSize(1);
        assertThat(children(d, "queued")).isEmpty();
        assertThat(view(d.get("id").asText()).get("status").asText()).isEqualTo("dispatched");
    }

    /**
     * Issue 22: a robot whose update gate holds its deployment back (a lab run going on) says so with its polls, as
     * presence. Its child stays dispatched: not an outcome, so not a failure against the ratio, and its wave is not
     * over, so the next one waits for it.
     */
    @Test
    void aChildWaitingAtItsRobotsUpdateGateIsPendingNeitherAFailureNorTheEndOfItsWave() {
        Map<String, String> f = fleet(5);
        JsonNode d = deployFleet(server.newRelease(), f.get("fleet"), ",\"batch_size\":3,\"max_failure_ratio\":0.5");
        String parent = d.get("id").asText();
        List<JsonNode> wave1 = children(d, "dispatched");
        assertThat(wave1).hasSize(3);
        JsonNode gated = wave1.get(0);
        String gatedToken = f.get(gated.get("robot_id").asText());
        String gatedId = gated.get("id").asText();
        String waiting = new AgentApi.Waiting("run abc running since 14:02", Instant.now().minusSeconds(3600))
                .header();
        for (int i = 0; i < 3; i++) { // it keeps polling while the run goes on
            TestServer.Reply poll = server.send(server.request("/api/agent/deployments", gatedToken)
                    .header(AgentApi.PROGRESS_HEADER, gatedId + " gated").header(AgentApi.WAITING_HEADER, waiting)
                    .GET().build());
            assertThat(poll.json().get("deployments")).hasSize(1);
        }
        report(f.get(wave1.get(1).get("robot_id").asText()), wave1.get(1).get("id").asText(), "failed");
        report(f.get(wave1.get(2).get("robot_id").asText()), wave1.get(2).get("id").asText(), "applied");

        // 1 of 2 finished failed (0.5, within the ratio); counted as failed the gated one would make it 2 of 3
        JsonNode view = view(parent);
        assertThat(view.get("status").asText()).isEqualTo("dispatched");
        assertThat(view.get("summary").get("dispatched").asInt()).isEqualTo(1);
        assertThat(view.get("summary").get("failed").asInt()).isEqualTo(1);
        assertThat(children(d, "queued")).as("wave 2 waits for the gated robot").hasSize(2);
        JsonNode child = children(d, "dispatched").get(0);
        assertThat(child.get("id").asText()).isEqualTo(gatedId);
        assertThat(child.get("progress").get("waiting").get("reason").asText()).isEqualTo("run abc running since 14:02");
        assertThat(server.get("/api/deployments/" + gatedId + "/events").json()).as("presence, no event").hasSize(2);
        assertThat(lastEvent(parent).get("detail").asText()).doesNotContain("wave 2");

        report(gatedToken, gatedId, "applied"); // the run ended, the gate opened, the update went through
        assertThat(children(d, "dispatched")).hasSize(2);
        assertThat(lastEvent(parent).get("detail").asText()).startsWith("wave 2 of 2 dispatched: 1 of 3 finished");
    }

    @Test
    void aWaveThatFinishesAboveTheRatioStopsTheNextOnes() {
        Map<String, String> f = fleet(4);
        JsonNode d = deployFleet(server.newRelease(), f.get("fleet"), ",\"batch_size\":2");
        List<JsonNode> wave1 = children(d, "dispatched");
        report(f.get(wave1.get(0).get("robot_id").asText()), wave1.get(0).get("id").asText(), "applied");
        report(f.get(wave1.get(1).get("robot_id").asText()), wave1.get(1).get("id").asText(), "rolled_back");

        assertThat(view(d.get("id").asText()).get("status").asText()).isEqualTo("failed");
        assertThat(lastEvent(d.get("id").asText()).get("detail").asText()).startsWith("auto-halted before wave 2 of 2");
        assertThat(children(d, "queued")).isEmpty();
        assertThat(children(d, "failed")).hasSize(2);
    }

    @Test
    void aRobotThatRolledBackAReleaseIsNotOfferedItAgainUnlessForced() {
        Map<String, String> f = fleet(2);
        String release = server.newRelease();
        String[] robots = f.keySet().stream().filter(k -> !k.equals("fleet")).sorted().toArray(String[]::new);
        String bad = robots[0];
        report(f.get(bad), server.deployToRobot(release, bad).get("id").asText(), "rolled_back");

        TestServer.Reply again = server.deploy(UUID.randomUUID().toString(), "{\"release_id\":\"" + release
                + "\",\"target_kind\":\"robot\",\"target_id\":\"" + bad + "\"}");
        ProblemAssert.assertProblem(again, 422, "quarantined");
        assertThat(again.json().get("detail").asText()).contains("\"force\": true");

        JsonNode d = deployFleet(release, f.get("fleet"), "");
        JsonNode kept = children(d, "failed").get(0);
        assertThat(kept.get("robot_id").asText()).isEqualTo(bad);
        assertThat(lastEvent(kept.get("id").asText()).get("detail").asText()).startsWith("quarantined");
        assertThat(children(d, "dispatched")).extracting(c -> c.get("robot_id").asText()).containsExactly(robots[1]);

        TestServer.Reply forced = server.deploy(UUID.randomUUID().toString(), "{\"release_id\":\"" + release
                + "\",\"target_kind\":\"robot\",\"target_id\":\"" + bad + "\",\"force\":true}");
        assertThat(forced.status()).as(forced.body()).isEqualTo(201);
        assertThat(forced.json().get("status").asText()).isEqualTo("dispatched");
    }

    @Test
    void aForcedDeploymentTellsTheRobotToSkipItsUpdateGateAndItsCreatedEventSaysSo() {
        Map<String, String> f = fleet(1);
        String robot = f.keySet().stream().filter(k -> !k.equals("fleet")).findFirst().orElseThrow();
        String plain = server.deployToRobot(server.newRelease(), robot).get("id").asText();
        JsonNode offered = server.get("/api/agent/deployments", f.get(robot)).json().get("deployments").get(0);
        assertThat(offered.get("id").asText()).isEqualTo(plain);
        assertThat(offered.get("force").asBoolean()).isFalse();

        TestServer.Reply forced = server.deploy(UUID.randomUUID().toString(), "{\"release_id\":\""
                + server.newRelease() + "\",\"target_kind\":\"robot\",\"target_id\":\"" + robot + "\",\"force\":true}");
        assertThat(forced.status()).as(forced.body()).isEqualTo(201);
        String id = forced.json().get("id").asText();
        JsonNode now = server.get("/api/agent/deployments", f.get(robot)).json().get("deployments");
        assertThat(now).singleElement().satisfies(d -> {
            assertThat(d.get("id").asText()).isEqualTo(id);
            assertThat(d.get("force").asBoolean()).isTrue();
        });
        assertThat(server.get("/api/deployments/" + id + "/events").json().get(0).get("detail").asText())
                .isEqualTo("created; forced: the robot does not wait at its update gate");
    }

    @Test
    void rolloutOptionsAreCheckedAndNamed() {
        String robot = server.robot("solo").get("id").asText();
        String release = server.newRelease();
        TestServer.Reply ratio = server.deploy(UUID.randomUUID().toString(), "{\"release_id\":\"" + release
                + "\",\"target_kind\":\"robot\",\"target_id\":\"" + robot + "\",\"max_failure_ratio\":1.5}");
        ProblemAssert.assertProblem(ratio, 400, "max_failure_ratio");
        TestServer.Reply batch = server.deploy(UUID.randomUUID().toString(), "{\"release_id\":\"" + release
                + "\",\"target_kind\":\"robot\",\"target_id\":\"" + robot + "\",\"batch_size\":3}");
        ProblemAssert.assertProblem(batch, 422, "batch_size");
    }
}
