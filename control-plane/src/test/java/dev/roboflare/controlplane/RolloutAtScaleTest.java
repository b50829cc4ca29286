package dev.roboflare.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roboflare.controlplane.deploy.RobotReports;
import dev.roboflare.controlplane.storage.Database;
import dev.roboflare.controlplane.storage.Transactor;
import dev.roboflare.protocol.AgentApi;
import dev.roboflare.protocol.DeploymentStatus;
import dev.roboflare.protocol.Sha256;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Waves and the auto-halt of a fleet deployment with hundreds of children per wave, judged from the running counts
 * in rollout_tallies: a wave goes out only once the last child of the one before has an outcome (a superseded child
 * no longer holds it open), and the halt comes on the very report that crosses the ratio. A fleet deployment whose
 * tally is missing (created before V27) gets one from its children on the next report and carries on the same way.
 * A report costs the same number of statements whatever the fleet's size.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ParameterizedClass
@EnumSource(TestDatabase.class)
class RolloutAtScaleTest {
    private static final int ROBOTS = 900;
    private static final int WAVE = 300;

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

    /** A fleet of {@code n} robots written straight into the database (the API takes one robot per request). */
    private String fleet(int n) throws SQLException {
        String fleetId = UUID.randomUUID().toString();
        String run = fleetId.substring(0, 8);
        try (Connection c = server.jdbc()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO fleets (id, name, created_at, org) VALUES ('" + fleetId + "', 'big', 1, "
                        + "'default')");
            }
            try (PreparedStatement robot = c.prepareStatement(
                    "INSERT INTO robots (id, name, created_at, org) VALUES (?, ?, ?, 'default')");
                 PreparedStatement token = c.prepareStatement(
                         "INSERT INTO robot_tokens (token_sha256, robot_id, created_at) VALUES (?, ?, 1)");
                 PreparedStatement member = c.prepareStatement(
                         "INSERT INTO fleet_robots (fleet_id, robot_id, added_at) VALUES (?, ?, ?)")) {
                for (int i = 0; i < n; i++) {
                    String id = run + "-robot-" + i;
                    robot.setString(1, id);
                    robot.setString(2, id);
                    robot.setLong(3, i);
                    robot.addBatch();
                    token.setString(1, Sha256.hex(tokenOf(id)));
                    token.setString(2, id);
                    token.addBatch();
                    member.setString(1, fleetId);
                    member.setString(2, id);
                    member.setLong(3, i);
                    member.addBatch();
                }
                robot.executeBatch();
                token.executeBatch();
                member.executeBatch();
            }
            c.commit();
        }
        return fleetId;
    }

    private static String tokenOf(String robotId) {
        return "token-of-" + robotId;
    }

    private JsonNode deployFleet(String fleetId, String extra) {
        TestServer.Reply r = server.deploy(UUID.randomUUID().toString(), "{\"release_id\":\"" + server.newRelease()
                + "\",\"target_kind\":\"fleet\",\"target_id\":\"" + fleetId + "\"" + extra + "}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json();
    }

    private void report(JsonNode child, String status) {
        TestServer.Reply r = server.post("/api/agent/deployments/" + child.get("id").asText() + "/events",
                "{\"event_id\":\"" + UUID.randomUUID() + "\",\"status\":\"" + status + "\"}",
                tokenOf(child.get("robot_id").asText()));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
    }

    private List<JsonNode> children(String parentId, String status) {
        List<JsonNode> out = new ArrayList<>();
        server.get("/api/deployments/" + parentId).json().get("children").forEach(c -> {
            if (c.get("status").asText().equals(status)) {
                out.add(c);
            }
        });
        return out;
    }

    private String status(String id) {
        return server.get("/api/deployments/" + id).json().get("status").asText();
    }

    private String lastDetail(String id) {
        JsonNode events = server.get("/api/deployments/" + id + "/events").json();
        return events.get(events.size() - 1).get("detail").asText();
    }

    @Test
    void wavesOfHundredsAdvanceOnTheirLastOutcomeAndHaltOnTheReportThatCrossesTheRatio() throws SQLException {
        String parent = deployFleet(fleet(ROBOTS), ",\"batch_size\":" + WAVE + ",\"max_failure_ratio\":0.1")
                .get("id").asText();
        List<JsonNode> wave1 = children(parent, "dispatched");
        assertThat(wave1).hasSize(WAVE);
        assertThat(children(parent, "queued")).hasSize(ROBOTS - WAVE);

        // One robot of wave 1 gets a deployment of its own: its child is superseded and must not hold the wave open.
        String superseded = wave1.get(0).get("robot_id").asText();
        TestServer.Reply own = server.deploy(UUID.randomUUID().toString(), "{\"release_id\":\"" + server.newRelease()
                + "\",\"target_kind\":\"robot\",\"target_id\":\"" + superseded + "\"}");
        assertThat(own.status()).as(own.body()).isEqualTo(201);
        // The last 21 of the other 299 fail (ratio 0.070, within 0.1; failures first would halt at five finished);
        // the wave goes out only after the very last one.
        for (int i = 1; i < WAVE; i++) {
            report(wave1.get(i), i >= WAVE - 21 ? "failed" : "applied");
            if (i == WAVE - 2) {
                assertThat(children(parent, "queued")).hasSize(ROBOTS - WAVE);
            }
        }
        List<JsonNode> wave2 = children(parent, "dispatched");
        assertThat(wave2).hasSize(WAVE);
        assertThat(lastDetail(parent)).isEqualTo("wave 2 of 3 dispatched: 21 of 299 finished children failed or "
                + "rolled back (ratio 0.07, max_failure_ratio 0.10) (" + WAVE + " robots)");

        // 9 failures in wave 2 make 30 of 308 (0.097): within; the 10th (31 of 309, 0.1003) halts on that report.
        for (int i = 0; i < 9; i++) {
            report(wave2.get(i), "failed");
        }
        assertThat(status(parent)).isEqualTo("dispatched");
        report(wave2.get(9), "failed");
        assertThat(status(parent)).isEqualTo("failed");
        assertThat(lastDetail(parent)).isEqualTo("auto-halted: 31 of 309 finished children failed or rolled back "
                + "(ratio 0.10, max_failure_ratio 0.10); " + (WAVE - 10 + WAVE) + " children without an outcome were "
                + "stopped");
        assertThat(children(parent, "queued")).isEmpty();
        assertThat(children(parent, "dispatched")).isEmpty();
    }

    @Test
    void aReportReadsAsManyRowsInAFleetOf900AsInOneOf20() throws SQLException {
        assertThat(costOfAReport(ROBOTS)).isEqualTo(costOfAReport(20));
    }

    /**
     * What one robot's report costs the database (its own checks, the append and the RolloutGate), counted on a
     * second pool onto the server's database: statements prepared and rows read. A report in the middle of the first
     * wave, so no wave goes out.
     */
    private List<Integer> costOfAReport(int fleetSize) throws SQLException {
        String parent = deployFleet(fleet(fleetSize), ",\"batch_size\":" + fleetSize / 2).get("id").asText();
        JsonNode child = children(parent, "dispatched").get(0);
        try (Database db = server.databaseUrl == null
                ? Database.openSqlite(server.dataDir.resolve("roboflare.db"))
                : Database.open(server.databaseUrl, TestDatabase.user(), TestDatabase.password())) {
            AtomicInteger statements = new AtomicInteger();
            AtomicInteger rows = new AtomicInteger();
            RobotReports reports = new RobotReports(new Transactor(counting(db.dataSource(), statements, rows),
                    db.dialect()), Clock.systemUTC());
            reports.report(child.get("robot_id").asText(), child.get("id").asText(),
                    new AgentApi.Event(UUID.randomUUID().toString(), DeploymentStatus.APPLIED, "counted"));
            assertThat(status(parent)).isEqualTo("dispatched");
            return List.of(statements.get(), rows.get());
        }
    }

    /** Counts the statements its connections prepare and the rows their queries return. */
    private static DataSource counting(DataSource real, AtomicInteger statements, AtomicInteger rows) {
        return proxy(DataSource.class, real, (m, result) -> result instanceof Connection c
                ? proxy(Connection.class, c, (cm, made) -> {
                    if (!(made instanceof PreparedStatement ps)) {
                        return made;
                    }
                    statements.incrementAndGet();
                    return proxy(PreparedStatement.class, ps, (pm, out) -> out instanceof ResultSet rs
                            ? proxy(ResultSet.class, rs, (rm, next) -> {
                                if (rm.getName().equals("next") && Boolean.TRUE.equals(next)) {
                                    rows.incrementAndGet();
                                }
                                return next;
                            })
                            : out);
                })
                : result);
    }

    /** {@code target} behind {@code type}, each call's result passed through {@code after}. */
    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, T target, java.util.function.BiFunction<Method, Object, Object> after) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                (p, m, args) -> after.apply(m, invoke(m, target, args)));
    }

    private static Object invoke(Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Test
    void aFleetDeploymentWithoutATallyGetsOneFromItsChildrenAndCarriesOn() throws SQLException {
        String parent = deployFleet(fleet(ROBOTS), ",\"batch_size\":" + WAVE).get("id").asText();
        List<JsonNode> wave1 = children(parent, "dispatched");
        for (int i = 0; i < WAVE / 2; i++) {
            report(wave1.get(i), "applied");
        }
        try (Connection c = server.jdbc(); Statement s = c.createStatement()) { // as a deployment made before V27
            assertThat(s.executeUpdate("DELETE FROM rollout_tallies WHERE deployment_id = '" + parent + "'"))
                    .isEqualTo(1);
        }
        for (int i = WAVE / 2; i < WAVE - 1; i++) {
            report(wave1.get(i), "applied");
        }
        assertThat(children(parent, "queued")).hasSize(ROBOTS - WAVE);
        report(wave1.get(WAVE - 1), "rolled_back");
        assertThat(children(parent, "dispatched")).hasSize(WAVE);
        assertThat(lastDetail(parent)).startsWith("wave 2 of 3 dispatched: 1 of " + WAVE + " finished children");
    }
}
