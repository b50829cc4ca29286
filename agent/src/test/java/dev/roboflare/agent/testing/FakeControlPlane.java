package dev.roboflare.agent.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.roboflare.protocol.AgentApi;
import dev.roboflare.protocol.ArtifactKind;
import dev.roboflare.protocol.DeploymentStatus;
import dev.roboflare.protocol.WireJson;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A small control plane that behaves as the agent API contract says: the robot's dispatched deployments oldest
 * first (until a final event arrived), events with event_id de-duplication (201 / 200 / 409 / 404), and artifact
 * downloads with Range support at a URL that needs no bearer token.
 */
public final class FakeControlPlane implements AutoCloseable {
    public record Received(String deploymentId, String eventId, DeploymentStatus status, String detail) {
    }

    private static final ObjectMapper JSON = WireJson.lenient();
    private final HttpServer server;
    private final String token;
    private final Map<String, AgentApi.Deployment> deployments = new LinkedHashMap<>();
    private final Map<String, byte[]> blobs = new LinkedHashMap<>();
    public final List<Received> events = new CopyOnWriteArrayList<>();
    public final List<String> eventPosts = new CopyOnWriteArrayList<>();
    public volatile int polls;
    /** The Roboflare-Agent-Progress header of each poll, in order ("" for a poll without it). */
    public final List<String> progress = new CopyOnWriteArrayList<>();
    /** The {@code Roboflare-Agent-Waiting} header of each poll ("" when absent), at the index of its progress. */
    public final List<String> waiting = new CopyOnWriteArrayList<>();

    public FakeControlPlane(String token) throws IOException {
        this(token, 0);
    }

    public FakeControlPlane(String token, int port) throws IOException {
        this.token = token;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/api/agent/deployments", this::agentApi);
        server.createContext("/blobs/", this::blob);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Publishes an artifact + release and dispatches a deployment of it to the robot; returns the deployment id. */
    public synchronized String deploy(String semver, ArtifactKind kind, String name, byte[] bytes, String manifest)
            throws IOException {
        return deploy(semver, kind, name, bytes, manifest, sha256(bytes), bytes.length);
    }

    /** As {@link #deploy}, announcing the given sha256 and size whatever the bytes are (a tampered artifact). */
    public synchronized String deploy(String semver, ArtifactKind kind, String name, byte[] bytes, String manifest,
                                      String announcedSha, long announcedSize) throws IOException {
        String blobId = UUID.randomUUID().toString();
        blobs.put(blobId, bytes);
        JsonNode m = JSON.readTree(manifest);
        String id = "dep-" + (deployments.size() + 1) + "-" + UUID.randomUUID().toString().substring(0, 8);
        AgentApi.Deployment d = new AgentApi.Deployment(id,
                new AgentApi.Release("rel-" + semver.replace('.', '-'), semver, m),
                new AgentApi.Artifact("art-" + blobId.substring(0, 8), kind, name, announcedSha, announcedSize,
                        url() + "/blobs/" + blobId + "?sig=test"));
        deployments.put(id, d);
        return id;
    }

    /** The operator cancels {@code id} (or a newer deployment supersedes it): polls no longer list it. */
    public synchronized void withdraw(String id) {
        deployments.remove(id);
    }

    /** The operator redeploys {@code id} with force: the robot skips its update gate. */
    public synchronized void force(String id) {
        AgentApi.Deployment d = deployments.get(id);
        deployments.put(id, new AgentApi.Deployment(d.id(), d.release(), d.artifact(), d.signature(), true));
    }

    public synchronized AgentApi.Deployment deployment(String id) {
        return deployments.get(id);
    }

    public List<Received> eventsFor(String deploymentId) {
        return events.stream().filter(e -> e.deploymentId().equals(deploymentId)).toList();
    }

    private synchronized boolean isFinal(String deploymentId) {
        return events.stream().anyMatch(e -> e.deploymentId().equals(deploymentId));
    }

    private void agentApi(HttpExchange ex) throws IOException {
        try (ex) {
            if (!("Bearer " + token).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                send(ex, 401, "{\"title\":\"unauthorized\"}");
                return;
            }
            String path = ex.getRequestURI().getPath();
            if (ex.getRequestMethod().equals("GET") && path.equals("/api/agent/deployments")) {
                polls++;
                String p = ex.getRequestHeaders().getFirst(AgentApi.PROGRESS_HEADER);
                String w = ex.getRequestHeaders().getFirst(AgentApi.WAITING_HEADER);
                synchronized (progress) { // the same index in both lists: one poll
                    progress.add(p == null ? "" : p);
                    waiting.add(w == null ? "" : w);
                }
                List<AgentApi.Deployment> open = new ArrayList<>();
                synchronized (this) {
                    for (AgentApi.Deployment d : deployments.values()) {
                        if (!isFinal(d.id())) {
                            open.add(d);
                        }
                    }
                }
                send(ex, 200, JSON.writeValueAsString(new AgentApi.Poll(open, null)));
                return;
            }
            String[] parts = path.split("/");
            if (ex.getRequestMethod().equals("POST") && parts.length == 6 && parts[5].equals("events")) {
                String id = parts[4];
                AgentApi.Event ev = JSON.readValue(ex.getRequestBody(), AgentApi.Event.class);
                eventPosts.add(ev.eventId());
                synchronized (this) {
                    if (!deployments.containsKey(id)) {
                        send(ex, 404, "{}");
                    } else if (events.stream().anyMatch(e -> e.eventId().equals(ev.eventId()))) {
                        send(ex, 200, "{}");
                    } else if (isFinal(id)) {
                        send(ex, 409, "{}");
                    } else {
                        events.add(new Received(id, ev.eventId(), ev.status(), ev.detail()));
                        send(ex, 201, "{}");
                    }
                }
                return;
            }
            send(ex, 404, "{}");
        }
    }

    private void blob(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] b;
            synchronized (this) {
                b = blobs.get(ex.getRequestURI().getPath().substring("/blobs/".length()));
            }
            if (b == null) {
                send(ex, 404, "{}");
                return;
            }
            String range = ex.getRequestHeaders().getFirst("Range");
            int from = 0;
            if (range != null && range.startsWith("bytes=") && range.endsWith("-")) {
                from = Integer.parseInt(range.substring(6, range.length() - 1));
                ex.getResponseHeaders().set("Content-Range", "bytes " + from + "-" + (b.length - 1) + "/" + b.length);
                ex.sendResponseHeaders(206, b.length - from);
            } else {
                ex.sendResponseHeaders(200, b.length);
            }
            try (OutputStream out = ex.getResponseBody()) {
                out.write(b, from, b.length - from);
            }
        }
    }

    private static void send(HttpExchange ex, int code, String body) throws IOException {
        byte[] b = body.getBytes();
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(code, b.length);
        ex.getResponseBody().write(b);
    }

    public static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
