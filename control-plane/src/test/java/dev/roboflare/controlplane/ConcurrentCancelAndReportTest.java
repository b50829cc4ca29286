package dev.roboflare.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An operator cancels a fleet deployment while one of its robots reports an outcome, on PostgreSQL (row locks;
 * SQLite has one writer at a time). Both wait on a fleet parent row held by a third transaction, cancel first; when
 * it is released they must run one after the other. If the report took its own row before the parent (the order
 * it used to take), cancel would wait for that row while the report waits for the parent, and PostgreSQL would
 * abort one of them with a deadlock error: a 500 for the operator or the robot.
 */
class ConcurrentCancelAndReportTest {
    TestServer server;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start(TestDatabase.POSTGRESQL);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void cancelAndAReportWaitingOnTheSameFleetTakeTurnsInsteadOfDeadlocking() throws Exception {
        String release = server.newRelease();
        Map<String, String> tokens = new HashMap<>();
        List<String> quoted = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            JsonNode r = server.robot("lock-" + i);
            tokens.put(r.get("id").asText(), r.get("token").asText());
            quoted.add("\"" + r.get("id").asText() + "\"");
        }
        String fleet = server.post("/api/fleets", "{\"name\":\"locks\",\"robot_ids\":[" + String.join(",", quoted)
                + "]}").json().get("id").asText();

        // The circle needs a child whose id sorts after its parent's (ids are random): deploy until there is one.
        String parent = null;
        JsonNode child = null;
        for (int attempt = 0; attempt < 20 && child == null; attempt++) {
            JsonNode d = server.deploy(UUID.randomUUID().toString(), "{\"release_id\":\"" + release
                    + "\",\"target_kind\":\"fleet\",\"target_id\":\"" + fleet + "\"}").json();
            parent = d.get("id").asText();
            for (JsonNode c : server.get("/api/deployments/" + parent).json().get("children")) {
                if (c.get("id").asText().compareTo(parent) > 0 && c.get("status").asText().equals("dispatched")) {
                    child = c;
                }
            }
        }
        assertThat(child).as("a child whose id sorts after its parent's").isNotNull();
        String childId = child.get("id").asText();
        String token = tokens.get(child.get("robot_id").asText());

        CompletableFuture<TestServer.Reply> cancel;
        CompletableFuture<TestServer.Reply> report;
        try (Connection holder = server.jdbc(); Connection watcher = server.jdbc()) {
            holder.setAutoCommit(false);
            try (PreparedStatement ps = holder.prepareStatement("SELECT id FROM deployments WHERE id = ? FOR UPDATE")) {
                ps.setString(1, parent);
                ps.executeQuery().close();
            }
            String finalParent = parent;
            cancel = CompletableFuture.supplyAsync(() -> server.post("/api/deployments/" + finalParent + "/cancel", "{}"));
            awaitWaiting(watcher, 1);
            report = CompletableFuture.supplyAsync(() -> server.post("/api/agent/deployments/" + childId + "/events",
                    "{\"event_id\":\"" + UUID.randomUUID() + "\",\"status\":\"applied\",\"detail\":\"ok\"}", token));
            awaitWaiting(watcher, 2);
            holder.commit();
        }

        TestServer.Reply cancelled = cancel.get(30, TimeUnit.SECONDS);
        TestServer.Reply reported = report.get(30, TimeUnit.SECONDS);
        assertThat(cancelled.status()).as(cancelled.body()).isEqualTo(200);
        // cancel went first, so the robot's outcome arrives on a deployment that is already final: a clear 409
        assertThat(reported.status()).as(reported.body()).isEqualTo(409);
        assertThat(reported.json().get("detail").asText()).contains("is failed, which is final");
        JsonNode events = server.get("/api/deployments/" + childId + "/events").json();
        assertThat(events.get(events.size() - 1).get("detail").asText()).isEqualTo("cancelled by operator");
    }

    /** Until {@code n} sessions of this database wait for a lock (the HTTP calls are then parked in PostgreSQL). */
    private static void awaitWaiting(Connection watcher, int n) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try (PreparedStatement ps = watcher.prepareStatement("SELECT count(*) FROM pg_stat_activity "
                    + "WHERE datname = current_database() AND wait_event_type = 'Lock'");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getInt(1) >= n) {
                    return;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("fewer than " + n + " sessions waited for the held fleet row within 30 s");
    }
}
