package dev.roboflare.controlplane;

import static dev.roboflare.controlplane.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Base64;
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
class RobotAndFleetApiTest {
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
    void robotCreationShowsATokenOnceAndTheRobotViewNever() {
        JsonNode creds = server.robot("arm-01");
        String token = creds.get("token").asText();
        assertThat(Base64.getUrlDecoder().decode(token)).hasSizeGreaterThanOrEqualTo(32);
        assertThat(creds.get("name").asText()).isEqualTo("arm-01");

        JsonNode robot = server.get("/api/robots/" + creds.get("id").asText()).json();
        assertThat(robot.get("name").asText()).isEqualTo("arm-01");
        assertThat(robot.get("created_at").asText()).isNotBlank();
        assertThat(robot.get("last_seen_at").isNull()).isTrue();
        assertThat(robot.get("current_release_id").isNull()).isTrue();
        assertThat(robot.get("last_deployment_id").isNull()).isTrue();
        assertThat(robot.toString()).doesNotContain(token);
        assertThat(server.get("/api/robots").body()).doesNotContain(token).contains(creds.get("id").asText());
    }

    @Test
    void robotErrors() {
        assertProblem(server.post("/api/robots", "{}"), 400, "name is required");
        assertProblem(server.post("/api/robots", "{\"name\":\"x\",\"token\":\"mine\"}"), 400, "unknown field 'token'");
        assertProblem(server.post("/api/robots", "{\"name\":[\"x\"]}"), 400, "name");
        assertProblem(server.get("/api/robots/ghost"), 404, "ghost");
    }

    @Test
    void fleetsCollectRobotsAndAddingTwiceChangesNothing() {
        String a = server.robot("a").get("id").asText();
        String b = server.robot("b").get("id").asText();
        TestServer.Reply created = server.post("/api/fleets", "{\"name\":\"bay-2\",\"robot_ids\":[\"" + a + "\"]}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String fleetId = created.json().get("id").asText();

        assertThat(server.put("/api/fleets/" + fleetId + "/robots/" + b).status()).isEqualTo(200);
        TestServer.Reply again = server.put("/api/fleets/" + fleetId + "/robots/" + b);
        assertThat(again.status()).isEqualTo(200);

        JsonNode fleet = server.get("/api/fleets/" + fleetId).json();
        assertThat(fleet.get("name").asText()).isEqualTo("bay-2");
        assertThat(TestServer.JSON.convertValue(fleet.get("robot_ids"), String[].class)).containsExactly(a, b);
    }

    @Test
    void fleetErrors() {
        String fleetId = server.post("/api/fleets", "{\"name\":\"empty\",\"robot_ids\":[]}").json().get("id").asText();
        assertProblem(server.post("/api/fleets", "{\"name\":\"f\",\"robot_ids\":[\"ghost\"]}"), 422, "ghost");
        assertProblem(server.post("/api/fleets", "{\"name\":\"f\",\"robot_ids\":\"notalist\"}"), 400, "robot_ids");
        assertProblem(server.put("/api/fleets/" + fleetId + "/robots/ghost"), 404, "ghost");
        assertProblem(server.put("/api/fleets/nofleet/robots/ghost"), 404, "nofleet");
        assertProblem(server.get("/api/fleets/nofleet"), 404, "nofleet");
    }
}
