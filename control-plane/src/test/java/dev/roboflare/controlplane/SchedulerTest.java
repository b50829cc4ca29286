package dev.roboflare.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SchedulerTest {
    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void dueScheduledFleetDeploymentIsDispatchedByATick(TestDatabase database) throws Exception {
        try (TestServer server = new TestServer(database, Duration.ofMillis(200))) {
            String release = server.newRelease();
            JsonNode robot = server.robot("night-shift");
            String robotId = robot.get("id").asText();
            String fleetId = server.post("/api/fleets", "{\"name\":\"nights\",\"robot_ids\":[\"" + robotId + "\"]}")
                    .json().get("id").asText();
            Instant at = Instant.now().plusMillis(1500);

            JsonNode created = server.deploy(UUID.randomUUID().toString(), "{\"release_id\":\"" + release
                    + "\",\"target_kind\":\"fleet\",\"target_id\":\"" + fleetId + "\",\"scheduled_at\":\"" + at + "\"}").json();
            String id = created.get("id").asText();
            assertThat(created.get("status").asText()).isEqualTo("queued");
            assertThat(created.get("children").get(0).get("status").asText()).isEqualTo("queued");
            assertThat(server.get("/api/agent/deployments", robot.get("token").asText()).json().get("deployments")).isEmpty();

            JsonNode now = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (System.nanoTime() < deadline) {
                now = server.get("/api/deployments/" + id).json();
                if (now.get("status").asText().equals("dispatched")
                        && now.get("children").get(0).get("status").asText().equals("dispatched")) {
                    break;
                }
                Thread.sleep(100);
            }
            assertThat(now.get("status").asText()).isEqualTo("dispatched");
            assertThat(Instant.now()).isAfterOrEqualTo(at);
            String childId = now.get("children").get(0).get("id").asText();
            assertThat(server.get("/api/deployments/" + childId + "/events").json().findValuesAsText("status"))
                    .containsExactly("queued", "dispatched");
            assertThat(server.get("/api/agent/deployments", robot.get("token").asText()).json()
                    .get("deployments")).extracting(n -> n.get("id").asText()).containsExactly(childId);
        }
    }
}
