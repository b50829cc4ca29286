package dev.roboflare.controlplane;

import static dev.roboflare.controlplane.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roboflare.controlplane.auth.DownloadSigner;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.Arrays;
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
class AgentApiTest {
    @Parameter
    TestDatabase database;

    static final byte[] PAYLOAD = "0123456789abcdefghijklmnopqrstuvwxyz".repeat(100).getBytes(StandardCharsets.UTF_8);

    TestServer server;
    String artifactId;
    String releaseId;

    @BeforeParameterizedClassInvocation
    void start(TestDatabase database) throws IOException {
        server = TestServer.start(database);
        artifactId = server.upload("app_tarball", "agent-app", PAYLOAD).json().get("id").asText();
        releaseId = server.releaseId(artifactId, "2.1.0");
    }

    @AfterParameterizedClassInvocation
    void stop() {
        server.close();
    }

    record Robot(String id, String token) {
    }

    Robot robot(String name) {
        JsonNode c = server.robot(name);
        return new Robot(c.get("id").asText(), c.get("token").asText());
    }

    TestServer.Reply report(Robot robot, String deploymentId, String eventId, String status) {
        return server.post("/api/agent/deployments/" + deploymentId + "/events",
                "{\"event_id\":\"" + eventId + "\",\"status\":\"" + status + "\",\"detail\":\"from test\"}", robot.token());
    }

    String downloadUrl(Robot robot) {
        return server.get("/api/agent/deployments", robot.token()).json()
                .get("deployments").get(0).get("artifact").get("download_url").asText();
    }

    @Test
    void pollListsDispatchedDeploymentsWithReleaseAndSignedAbsoluteUrl() {
        Robot robot = robot("poller");
        String first = server.deployToRobot(releaseId, robot.id()).get("id").asText();
        String second = server.deployToRobot(releaseId, robot.id()).get("id").asText();

        TestServer.Reply r = server.get("/api/agent/deployments", robot.token());
        assertThat(r.status()).isEqualTo(200);
        JsonNode poll = r.json();
        assertThat(poll.has("poll_interval_seconds")).isTrue();
        assertThat(poll.get("poll_interval_seconds").isNull()).isTrue();
        // the newer deployment superseded the older one, which the robot never picked up
        assertThat(poll.get("deployments")).extracting(n -> n.get("id").asText()).containsExactly(second);
        assertThat(server.get("/api/deployments/" + first).json().get("status").asText()).isEqualTo("failed");
        JsonNode d = poll.get("deployments").get(0);
        assertThat(d.get("release").get("semver").asText()).isEqualTo("2.1.0");
        assertThat(d.get("release").get("manifest_json").get("entrypoint").get(0).asText()).isEqualTo("bin/app");
        JsonNode a = d.get("artifact");
        assertThat(a.get("id").asText()).isEqualTo(artifactId);
        assertThat(a.get("kind").asText()).isEqualTo("app_tarball");
        assertThat(a.get("size").asLong()).isEqualTo(PAYLOAD.length);
        assertThat(a.get("download_url").asText())
                .startsWith(server.baseUrl + "/api/artifacts/" + artifactId + "/download?expires=")
                .contains("&sig=");

        // polling marks the robot as seen
        assertThat(server.get("/api/robots/" + robot.id()).json().get("last_seen_at").isNull()).isFalse();
    }

    @Test
    void serveAgentPollIntervalIsSentWithEveryPoll() throws IOException {
        try (TestServer tuned = TestServer.withAgentPollInterval(database, java.time.Duration.ofSeconds(90))) {
            JsonNode c = tuned.robot("slow-poller");
            JsonNode poll = tuned.get("/api/agent/deployments", c.get("token").asText()).json();
            assertThat(poll.get("poll_interval_seconds").asInt()).isEqualTo(90);
            assertThat(poll.get("deployments")).isEmpty();
        }
    }

    @Test
    void signedUrlDownloadsWithoutBearerTokenAndResumesWithRange() throws IOException {
        Robot robot = robot("downloader");
        server.deployToRobot(releaseId, robot.id());
        String url = downloadUrl(robot);

        HttpResponse<byte[]> full = sendBytes(url, null);
        assertThat(full.statusCode()).isEqualTo(200);
        assertThat(full.headers().firstValueAsLong("Content-Length")).hasValue(PAYLOAD.length);
        assertThat(full.body()).isEqualTo(PAYLOAD);

        HttpResponse<byte[]> tail = sendBytes(url, "bytes=1000-");
        assertThat(tail.statusCode()).isEqualTo(206);
        assertThat(tail.headers().firstValue("Content-Range")).hasValue("bytes 1000-" + (PAYLOAD.length - 1) + "/"
                + PAYLOAD.length);
        assertThat(tail.headers().firstValueAsLong("Content-Length")).hasValue(PAYLOAD.length - 1000);
        assertThat(tail.body()).isEqualTo(Arrays.copyOfRange(PAYLOAD, 1000, PAYLOAD.length));

        TestServer.Reply beyond = server.send(server.request(url, null).header("Range", "bytes=999999-").GET().build());
        assertProblem(beyond, 416, "outside");
    }

    private HttpResponse<byte[]> sendBytes(String url, String range) {
        var b = server.request(url, null).GET();
        if (range != null) {
            b.header("Range", range);
        }
        try {
            return java.net.http.HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void badOrExpiredSignatureIs403() throws IOException {
        Robot robot = robot("forger");
        server.deployToRobot(releaseId, robot.id());
        String url = downloadUrl(robot);

        String tampered = url.substring(0, url.length() - 4) + (url.endsWith("0000") ? "1111" : "0000");
        assertProblem(server.get(tampered, null), 403, "signature");
        String otherExpiry = url.replaceFirst("expires=(\\d+)", "expires=9999999999");
        assertProblem(server.get(otherExpiry, null), 403, "signature");
        assertProblem(server.get("/api/artifacts/" + artifactId + "/download", null), 403, "not signed");

        // correctly signed with the server's key, but already expired
        DownloadSigner signer = new DownloadSigner(Files.readString(server.dataDir.resolve("download-signing-key")).trim());
        long past = Instant.now().getEpochSecond() - 60;
        assertProblem(server.get("/api/artifacts/" + artifactId + "/download?expires=" + past + "&sig="
                + signer.sign(artifactId, past), null), 403, "expired");
        long future = Instant.now().getEpochSecond() + 60;
        assertThat(server.get("/api/artifacts/" + artifactId + "/download?expires=" + future + "&sig="
                + signer.sign(artifactId, future), null).status()).isEqualTo(200);
    }

    @Test
    void reportingAppliedFinishesTheDeploymentAndSetsTheCurrentRelease() {
        Robot robot = robot("reporter");
        String id = server.deployToRobot(releaseId, robot.id()).get("id").asText();
        String eventId = UUID.randomUUID().toString();

        TestServer.Reply r = report(robot, id, eventId, "applied");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        assertThat(r.json().get("event_id").asText()).isEqualTo(eventId);

        assertThat(server.get("/api/deployments/" + id).json().get("status").asText()).isEqualTo("applied");
        JsonNode robotView = server.get("/api/robots/" + robot.id()).json();
        assertThat(robotView.get("current_release_id").asText()).isEqualTo(releaseId);
        assertThat(robotView.get("current_release_semver").asText()).isEqualTo("2.1.0");
        assertThat(robotView.get("last_deployment_status").asText()).isEqualTo("applied");
        // no longer offered to the robot
        assertThat(server.get("/api/agent/deployments", robot.token()).json().get("deployments")).isEmpty();
    }

    @Test
    void anAppliedFirmwareIsShownApartAndLeavesTheCurrentAppRelease() {
        Robot robot = robot("firmware");
        String app = server.deployToRobot(releaseId, robot.id()).get("id").asText();
        assertThat(report(robot, app, UUID.randomUUID().toString(), "applied").status()).isEqualTo(201);
        String fwArtifact = server.upload("mcu_firmware", "motor-fw", PAYLOAD).json().get("id").asText();
        String fwRelease = server.releaseId(fwArtifact, "7.0.1");
        String fw = server.deployToRobot(fwRelease, robot.id()).get("id").asText();
        assertThat(report(robot, fw, UUID.randomUUID().toString(), "applied").status()).isEqualTo(201);

        JsonNode robotView = server.get("/api/robots/" + robot.id()).json();
        assertThat(robotView.get("current_release_semver").asText()).isEqualTo("2.1.0");
        assertThat(robotView.get("firmware_release_id").asText()).isEqualTo(fwRelease);
        assertThat(robotView.get("firmware_release_semver").asText()).isEqualTo("7.0.1");
        assertThat(server.get("/ui").body()).contains("firmware 7.0.1");
    }

    @Test
    void replayedEventIdIs200AndAddsNoEventEvenAfterTheDeploymentIsFinal() {
        Robot robot = robot("retrier");
        String id = server.deployToRobot(releaseId, robot.id()).get("id").asText();
        String eventId = UUID.randomUUID().toString();

        assertThat(report(robot, id, eventId, "rolled_back").status()).isEqualTo(201);
        TestServer.Reply replay = report(robot, id, eventId, "rolled_back");
        assertThat(replay.status()).isEqualTo(200);
        assertThat(replay.json().get("event_id").asText()).isEqualTo(eventId);
        JsonNode events = server.get("/api/deployments/" + id + "/events").json();
        assertThat(events.findValuesAsText("status")).containsExactly("queued", "dispatched", "rolled_back");

        // a new event on a final deployment is a conflict
        assertProblem(report(robot, id, UUID.randomUUID().toString(), "applied"), 409, "final");
        assertThat(server.get("/api/deployments/" + id + "/events").json()).hasSize(3);
    }

    @Test
    void aRobotCannotSeeOrReportAnotherRobotsDeployments() {
        Robot a = robot("a");
        Robot b = robot("b");
        String aDeployment = server.deployToRobot(releaseId, a.id()).get("id").asText();

        assertThat(server.get("/api/agent/deployments", b.token()).json().get("deployments")).isEmpty();
        assertProblem(report(b, aDeployment, UUID.randomUUID().toString(), "failed"), 404, "no deployment");
        assertThat(server.get("/api/deployments/" + aDeployment).json().get("status").asText()).isEqualTo("dispatched");
        assertProblem(report(a, "does-not-exist", UUID.randomUUID().toString(), "failed"), 404, "no deployment");
    }

    @Test
    void robotsMayOnlyReportOutcomesOnDispatchedDeployments() {
        Robot robot = robot("strict");
        String id = server.deployToRobot(releaseId, robot.id()).get("id").asText();
        assertProblem(report(robot, id, UUID.randomUUID().toString(), "dispatched"), 422, "applied, failed or rolled_back");
        assertProblem(report(robot, id, UUID.randomUUID().toString(), "exploded"), 400, "status");
        assertProblem(server.post("/api/agent/deployments/" + id + "/events", "{\"status\":\"applied\"}", robot.token()),
                400, "event_id");
        assertProblem(server.post("/api/agent/deployments/" + id + "/events", "{\"event_id\":\"x\",\"status\":\"applied\","
                + "\"extra\":1}", robot.token()), 400, "unknown field");

        String later = server.deploy(UUID.randomUUID().toString(), "{\"release_id\":\"" + releaseId
                + "\",\"target_kind\":\"robot\",\"target_id\":\"" + robot.id() + "\",\"scheduled_at\":\"2099-01-01T00:00:00Z\"}")
                .json().get("id").asText();
        assertProblem(report(robot, later, UUID.randomUUID().toString(), "applied"), 409, "not dispatched yet");
    }

    @Test
    void agentEndpointsNeedARobotToken() {
        assertProblem(server.get("/api/agent/deployments", null), 401, "robot token");
        assertProblem(server.get("/api/agent/deployments", "made-up"), 401, "unknown robot token");
        assertProblem(server.get("/api/agent/deployments", server.operatorToken), 401, "unknown robot token");
    }
}
