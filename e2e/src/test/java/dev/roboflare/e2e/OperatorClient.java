package dev.roboflare.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roboflare.protocol.DeploymentStatus;
import dev.roboflare.protocol.OperatorApi;
import dev.roboflare.protocol.TargetKind;
import dev.roboflare.protocol.WireJson;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/** What an operator (or a script) does against the control plane's HTTP API, with a given bearer token. */
final class OperatorClient {
    static final ObjectMapper JSON = WireJson.lenient();
    private final HttpClient http;
    private final String baseUrl;
    private final String token;

    OperatorClient(String baseUrl, String token) {
        this(baseUrl, token, HttpClient.newHttpClient());
    }

    /** {@code http}: e.g. one that trusts a test CA, for a control plane serving HTTPS. */
    OperatorClient(String baseUrl, String token, HttpClient http) {
        this.baseUrl = baseUrl;
        this.token = token;
        this.http = http;
    }

    OperatorApi.Artifact uploadArtifact(String kind, String name, byte[] bytes) throws Exception {
        return expect(201, send("POST", "/api/artifacts?kind=" + kind + "&name=" + name,
                HttpRequest.BodyPublishers.ofByteArray(bytes)), OperatorApi.Artifact.class);
    }

    OperatorApi.Release createRelease(String artifactId, String semver, JsonNode manifest) throws Exception {
        var body = new OperatorApi.CreateRelease(artifactId, semver, "e2e release " + semver, manifest);
        return expect(201, postJson("/api/releases", body), OperatorApi.Release.class);
    }

    OperatorApi.RobotCredentials enrollRobot(String name) throws Exception {
        return expect(201, postJson("/api/robots", new OperatorApi.CreateRobot(name)),
                OperatorApi.RobotCredentials.class);
    }

    OperatorApi.Robot robot(String id) throws Exception {
        return expect(200, send("GET", "/api/robots/" + id, HttpRequest.BodyPublishers.noBody()),
                OperatorApi.Robot.class);
    }

    OperatorApi.Deployment deployToRobot(String releaseId, String robotId) throws Exception {
        var body = new OperatorApi.CreateDeployment(releaseId, TargetKind.ROBOT, robotId, null);
        return expect(201, postJson("/api/deployments", body, "Idempotency-Key", UUID.randomUUID().toString()),
                OperatorApi.Deployment.class);
    }

    List<OperatorApi.Event> events(String deploymentId) throws Exception {
        return Arrays.asList(expect(200, send("GET", "/api/deployments/" + deploymentId + "/events",
                HttpRequest.BodyPublishers.noBody()), OperatorApi.Event[].class));
    }

    /** Polls the deployment's events until the newest one is final, and returns the whole timeline. */
    List<OperatorApi.Event> awaitFinal(String deploymentId, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        List<OperatorApi.Event> events = List.of();
        while (Instant.now().isBefore(deadline)) {
            events = events(deploymentId);
            if (!events.isEmpty() && events.get(events.size() - 1).status().isFinal()) {
                return events;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("deployment " + deploymentId + " did not finish within " + timeout
                + "; events so far: " + events);
    }

    static DeploymentStatus last(List<OperatorApi.Event> events) {
        return events.get(events.size() - 1).status();
    }

    HttpResponse<String> postJson(String path, Object body, String... headers) throws Exception {
        return send("POST", path, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)), headers);
    }

    HttpResponse<String> send(String method, String path, HttpRequest.BodyPublisher body, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).method(method, body)
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json");
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static <T> T expect(int status, HttpResponse<String> response, Class<T> type) throws IOException {
        if (response.statusCode() != status) {
            throw new AssertionError(response.request().method() + " " + response.uri() + " answered "
                    + response.statusCode() + " (expected " + status + "): " + response.body());
        }
        return JSON.readValue(response.body(), type);
    }
}
