package dev.roboflare.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roboflare.protocol.OperatorApi;
import dev.roboflare.testkit.ControlPlaneProcess;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control plane beyond one machine: three instances of the shipped jar on one PostgreSQL database and one S3
 * store (s3proxy), behind HAProxy. Three robots run the shipped agent; the other 197 are simulated by
 * scripts/lib/bench/fleet_sim.py, a separate process that polls and reports as an agent does. A fleet rollout in
 * waves and a scheduled fleet deployment run while one instance is killed with SIGKILL and later started again.
 */
class ReplicasBehindHaproxyTest {
    private static final int ROBOTS = 200;
    private static final int REAL_AGENTS = 3;
    private static final int ROLLOUT_ROBOTS = 160;
    private static final int WAVE = 40;
    private static final Duration TIMEOUT = Duration.ofMinutes(4);

    @TempDir
    Path work;
    private final List<AutoCloseable> running = new ArrayList<>();
    private Path pidFile;

    @AfterEach
    void stopEverything() throws Exception {
        for (int i = running.size() - 1; i >= 0; i--) {
            running.get(i).close();
        }
        if (pidFile != null && Files.exists(pidFile)) { // the real agents' apps live in their own sessions
            for (String pid : Files.readAllLines(pidFile)) {
                ProcessHandle.of(Long.parseLong(pid.strip())).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    @Test
    void rolloutAndScheduleSurviveAnInstanceKilledMidWay() throws Exception {
        S3ProxyProcess s3 = keep(S3ProxyProcess.start(Files.createDirectories(work.resolve("s3"))));
        String databaseUrl = freshDatabase();
        Path secrets = Files.createDirectories(work.resolve("secrets"));
        Files.writeString(secrets.resolve("pg"), System.getenv("ROBOFLARE_TEST_PG_PASSWORD") + "\n");
        Files.writeString(secrets.resolve("s3"), S3ProxyProcess.SECRET_KEY + "\n");
        List<String> shared = List.of("--database-url", databaseUrl,
                "--database-user", System.getenv("ROBOFLARE_TEST_PG_USER"),
                "--database-password-file", secrets.resolve("pg").toString(),
                "--artifact-store", "s3://" + S3ProxyProcess.BUCKET, "--s3-endpoint", s3.endpoint,
                "--s3-access-key-id", S3ProxyProcess.ACCESS_KEY,
                "--s3-secret-access-key-file", secrets.resolve("s3").toString());
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        List<ControlPlaneProcess> instances = new ArrayList<>();
        for (int i = 1; i <= 3; i++) { // one after the other: the first one runs the migrations
            instances.add(keep(ControlPlaneProcess.start(Files.createDirectories(work.resolve("cp" + i)), shared,
                    "http", http)));
        }
        HaproxyProcess haproxy = keep(HaproxyProcess.start(work, instances.stream()
                .map(ControlPlaneProcess::port).toList()));

        // Each instance has its own admin token (its data dir); tokens issued through the API live in the database.
        OperatorClient admin = new OperatorClient(instances.get(0).baseUrl(), instances.get(0).operatorToken());
        OperatorClient.expect(201, admin.postJson("/api/orgs", Map.of("name", "lab")), JsonNode.class);
        String token = OperatorClient.expect(201, admin.postJson("/api/operator-tokens",
                Map.of("name", "ops", "org", "lab")), JsonNode.class).get("token").asText();
        OperatorClient operator = new OperatorClient(haproxy.url, token);

        List<OperatorApi.RobotCredentials> robots = new ArrayList<>();
        for (int i = 0; i < ROBOTS; i++) {
            robots.add(operator.enrollRobot("robot-" + i));
        }
        pidFile = work.resolve("apps.pid");
        OperatorApi.Artifact artifact = operator.uploadArtifact("app_tarball", "lab-app",
                TestApps.sharedPidFileApp("1.0.0"));
        String release = operator.createRelease(artifact.id(), "1.0.0", TestApps.manifest(pidFile)).id();
        String rolloutFleet = fleet(operator, "rollout", robots.subList(0, ROLLOUT_ROBOTS));
        String scheduledFleet = fleet(operator, "night-shift", robots.subList(ROLLOUT_ROBOTS, ROBOTS));

        for (int i = 0; i < REAL_AGENTS; i++) {
            Path dir = Files.createDirectories(work.resolve("agent-" + i));
            Path state = Files.createDirectories(dir.resolve("state"));
            keep(AgentProcess.start(haproxy.url, AgentProcess.writeToken(dir, robots.get(i).token()), state,
                    dir.resolve("agent.log"), Map.of())::kill);
        }
        Path tokens = Files.write(work.resolve("sim-tokens"), robots.subList(REAL_AGENTS, ROBOTS).stream()
                .map(OperatorApi.RobotCredentials::token).toList());
        Path simOut = work.resolve("sim.json");
        Process sim = new ProcessBuilder("python3", System.getProperty("roboflare.fleetSim"), "--url", haproxy.url,
                "--tokens", tokens.toString(), "--interval", "2", "--duration", "600", "--connections", "8",
                "--apply", "--out", simOut.toString())
                .redirectErrorStream(true).redirectOutput(work.resolve("sim.log").toFile()).start();
        keep(sim::destroyForcibly);

        String rolloutKey = UUID.randomUUID().toString();
        Map<String, Object> rolloutBody = Map.of("release_id", release, "target_kind", "fleet",
                "target_id", rolloutFleet, "batch_size", WAVE);
        String rollout = create(operator, rolloutKey, rolloutBody).get("id").asText();
        String scheduled = create(operator, UUID.randomUUID().toString(), Map.of("release_id", release,
                "target_kind", "fleet", "target_id", scheduledFleet,
                "scheduled_at", Instant.now().plusSeconds(20).toString())).get("id").asText();
        assertReplaysOnEveryInstance(instances, token, rolloutKey, rolloutBody, rollout);

        // Mid-way: the first wave is out and applied, the next one dispatched by some instance's scheduler.
        awaitDeployment(operator, rollout, d -> d.get("summary").get("applied").asInt() >= WAVE);
        ControlPlaneProcess victim = instances.get(1);
        long killedAt = Instant.now().getEpochSecond();
        victim.kill();
        Thread.sleep(5000);
        victim.restart();
        long restartedAt = Instant.now().getEpochSecond();
        assertReplaysOnEveryInstance(instances, token, rolloutKey, rolloutBody, rollout);

        JsonNode rolloutDone = awaitDeployment(operator, rollout,
                d -> d.get("summary").get("applied").asInt() == ROLLOUT_ROBOTS);
        JsonNode scheduledDone = awaitDeployment(operator, scheduled,
                d -> d.get("summary").get("applied").asInt() == ROBOTS - ROLLOUT_ROBOTS);
        sim.destroy(); // SIGTERM: the simulator writes what it sent and what was acknowledged
        assertThat(sim.waitFor(30, TimeUnit.SECONDS)).isTrue();

        // Every robot: exactly queued, dispatched, applied; nothing lost, nothing twice.
        Set<String> recordedEventIds = new java.util.HashSet<>();
        for (JsonNode parent : List.of(rolloutDone, scheduledDone)) {
            for (JsonNode child : parent.get("children")) {
                List<OperatorApi.Event> events = operator.events(child.get("id").asText());
                assertThat(events).as("events of child %s", child.get("id").asText())
                        .extracting(e -> e.status().wire()).containsExactly("queued", "dispatched", "applied");
                events.forEach(e -> recordedEventIds.add(e.eventId()));
            }
        }
        JsonNode simResult = OperatorClient.JSON.readTree(simOut.toFile());
        List<String> acknowledged = new ArrayList<>();
        simResult.get("acked").forEach(e -> acknowledged.add(e.get("event_id").asText()));
        assertThat(acknowledged).hasSize(ROBOTS - REAL_AGENTS);
        assertThat(recordedEventIds).containsAll(acknowledged);

        // The schedule went out once; the rollout in four waves, each one dispatched event on the parent.
        assertThat(statuses(operator, scheduled)).containsExactly("queued", "dispatched");
        assertThat(statuses(operator, rollout)).containsExactly("queued", "dispatched", "dispatched", "dispatched",
                "dispatched");

        // No instance answered 5xx; HAProxy's own 5xx only while an instance was down or dying.
        List<HaproxyProcess.Request> requests = haproxy.requests();
        assertThat(requests).extracting(HaproxyProcess.Request::server).contains("cp1", "cp2", "cp3");
        List<HaproxyProcess.Request> serverErrors = requests.stream().filter(r -> r.status() >= 500).toList();
        assertThat(serverErrors).allMatch(HaproxyProcess.Request::answeredByHaproxy, "answered by HAProxy")
                .allMatch(r -> r.epochSecond() >= killedAt - 1 && r.epochSecond() <= restartedAt + 5,
                        "while an instance was down");
        assertThat(simResult.get("server_errors").asInt()).isLessThanOrEqualTo(serverErrors.size());
        System.out.printf("replicas: %d requests through HAProxy, %d answered 5xx by HAProxy while cp2 was down; "
                + "simulated robots: %s%n", requests.size(), serverErrors.size(), simResult.get("answers"));
    }

    private <T extends AutoCloseable> T keep(T resource) {
        running.add(resource);
        return resource;
    }

    /** The same Idempotency-Key and body sent to each instance directly: one deployment, marked as a replay. */
    private static void assertReplaysOnEveryInstance(List<ControlPlaneProcess> instances, String token, String key,
                                                     Map<String, Object> body, String expectedId) throws Exception {
        for (ControlPlaneProcess instance : instances) {
            HttpResponse<String> r = new OperatorClient(instance.baseUrl(), token)
                    .postJson("/api/deployments", body, "Idempotency-Key", key);
            assertThat(r.statusCode()).as(instance.baseUrl() + ": " + r.body()).isEqualTo(201);
            assertThat(r.headers().firstValue("Idempotent-Replayed")).contains("true");
            assertThat(OperatorClient.JSON.readTree(r.body()).get("id").asText()).isEqualTo(expectedId);
        }
    }

    private static JsonNode create(OperatorClient operator, String key, Map<String, Object> body) throws Exception {
        return OperatorClient.expect(201, operator.postJson("/api/deployments", body, "Idempotency-Key", key),
                JsonNode.class);
    }

    private static String fleet(OperatorClient operator, String name, List<OperatorApi.RobotCredentials> robots)
            throws Exception {
        return OperatorClient.expect(201, operator.postJson("/api/fleets", Map.of("name", name, "robot_ids",
                robots.stream().map(OperatorApi.RobotCredentials::id).toList())), JsonNode.class).get("id").asText();
    }

    private static List<String> statuses(OperatorClient operator, String deployment) throws Exception {
        return operator.events(deployment).stream().map(e -> e.status().wire()).toList();
    }

    private static JsonNode awaitDeployment(OperatorClient operator, String id, Predicate<JsonNode> done)
            throws Exception {
        Instant deadline = Instant.now().plus(TIMEOUT);
        JsonNode d = null;
        while (Instant.now().isBefore(deadline)) {
            HttpResponse<String> r = operator.send("GET", "/api/deployments/" + id,
                    HttpRequest.BodyPublishers.noBody());
            if (r.statusCode() == 200) { // a 502 from HAProxy while an instance dies: ask again
                d = OperatorClient.JSON.readTree(r.body());
                if (done.test(d)) {
                    return d;
                }
            }
            Thread.sleep(500);
        }
        throw new AssertionError("deployment " + id + " not done within " + TIMEOUT + ": "
                + (d == null ? "no answer" : d.get("summary")));
    }

    private static String freshDatabase() throws Exception {
        String admin = System.getenv("ROBOFLARE_TEST_PG_URL");
        if (admin == null || admin.isBlank()) {
            throw new AssertionError("ROBOFLARE_TEST_PG_URL is not set: this test needs the PostgreSQL that "
                    + "scripts/test starts (scripts/lib/services/postgres.sh)");
        }
        String name = "rf_replicas_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(admin, System.getenv("ROBOFLARE_TEST_PG_USER"),
                System.getenv("ROBOFLARE_TEST_PG_PASSWORD")); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return admin.replaceFirst("/[^/?]*(\\?.*)?$", "/" + name + "$1");
    }
}
