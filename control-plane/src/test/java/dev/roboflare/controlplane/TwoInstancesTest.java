package dev.roboflare.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Two control planes on one PostgreSQL database: every due child is dispatched exactly once. */
class TwoInstancesTest {
    @Test
    void twoSchedulersOnOnePostgresDispatchEachDueRowExactlyOnce() throws Exception {
        String url = TestDatabase.POSTGRESQL.freshUrl();
        try (TestServer a = new TestServer(Files.createTempDirectory("cp-a"), url, Duration.ofMillis(50),
                ServerConfig.DEFAULT_IDEMPOTENCY_KEY_TTL);
             TestServer b = new TestServer(Files.createTempDirectory("cp-b"), url, Duration.ofMillis(50),
                     ServerConfig.DEFAULT_IDEMPOTENCY_KEY_TTL)) {
            String release = a.newRelease();
            List<String> robots = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                robots.add("\"" + a.robot("twin-" + i).get("id").asText() + "\"");
            }
            String fleetId = a.post("/api/fleets", "{\"name\":\"twins\",\"robot_ids\":" + robots + "}")
                    .json().get("id").asText();
            Instant at = Instant.now().plusSeconds(2);
            JsonNode created = a.deploy(UUID.randomUUID().toString(), "{\"release_id\":\"" + release
                    + "\",\"target_kind\":\"fleet\",\"target_id\":\"" + fleetId + "\",\"scheduled_at\":\"" + at + "\"}")
                    .json();
            String id = created.get("id").asText();
            JsonNode now = created;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline && now.get("summary").get("dispatched").asInt() < 40) {
                Thread.sleep(100);
                now = b.get("/api/deployments/" + id).json();
            }
            assertThat(now.get("summary").get("dispatched").asInt()).isEqualTo(40);
            for (JsonNode child : now.get("children")) {
                assertThat(b.get("/api/deployments/" + child.get("id").asText() + "/events").json()
                        .findValuesAsText("status")).containsExactly("queued", "dispatched");
            }
            assertThat(a.get("/api/deployments/" + id + "/events").json().findValuesAsText("status"))
                    .containsExactly("queued", "dispatched");
        }
    }
}
