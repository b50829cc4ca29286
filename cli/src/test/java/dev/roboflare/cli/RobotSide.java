package dev.roboflare.cli;

import dev.roboflare.protocol.AgentApi;
import dev.roboflare.protocol.DeploymentStatus;
import dev.roboflare.protocol.WireJson;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;

/**
 * Plays one robot's agent over the real agent API with the robot's own token: polls for dispatched deployments and
 * reports outcomes, exactly the calls the agent makes (without running apps, so the CLI tests stay fast).
 */
final class RobotSide {
    private final HttpClient http = HttpClient.newHttpClient();
    private final String baseUrl;
    private final String token;

    RobotSide(String baseUrl, String token) {
        this.baseUrl = baseUrl;
        this.token = token;
    }

    List<AgentApi.Deployment> dispatched() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/agent/deployments"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new AssertionError("agent poll answered " + r.statusCode() + ": " + r.body());
        }
        return WireJson.lenient().readValue(r.body(), AgentApi.Poll.class).deployments();
    }

    /** A poll carrying the agent's live progress ({@code <deployment id> <phase> [done/total]}), as the agent sends it. */
    void pollWithProgress(String progress) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/agent/deployments"))
                .header("Authorization", "Bearer " + token).header(AgentApi.PROGRESS_HEADER, progress).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new AssertionError("agent poll answered " + r.statusCode() + ": " + r.body());
        }
    }

    /** A poll from an agent whose update gate holds {@code deploymentId} back, as the agent sends it. */
    void pollGated(String deploymentId, String reason, java.time.Instant since) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/agent/deployments"))
                .header("Authorization", "Bearer " + token)
                .header(AgentApi.PROGRESS_HEADER, new AgentApi.Progress(deploymentId, "gated", null, null).header())
                .header(AgentApi.WAITING_HEADER, new AgentApi.Waiting(reason, since).header()).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new AssertionError("agent poll answered " + r.statusCode() + ": " + r.body());
        }
    }

    /** Reports {@code status} for the robot's one dispatched deployment and returns its id. */
    String reportOnly(DeploymentStatus status, String detail) throws Exception {
        List<AgentApi.Deployment> work = dispatched();
        if (work.size() != 1) {
            throw new AssertionError("expected one dispatched deployment, got " + work.size());
        }
        report(work.get(0).id(), status, detail);
        return work.get(0).id();
    }

    void report(String deploymentId, DeploymentStatus status, String detail) throws Exception {
        byte[] body = WireJson.lenient().writeValueAsBytes(
                new AgentApi.Event(UUID.randomUUID().toString(), status, detail));
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                        URI.create(baseUrl + "/api/agent/deployments/" + deploymentId + "/events"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
            throw new AssertionError("event report answered " + r.statusCode() + ": " + r.body());
        }
    }
}
