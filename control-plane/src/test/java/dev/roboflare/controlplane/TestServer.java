package dev.roboflare.controlplane;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roboflare.controlplane.artifacts.S3StoreConfig;
import dev.roboflare.protocol.WireJson;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Supplier;

/** A real control plane on a free port with a temp data dir, plus a tiny HTTP client for the tests. */
final class TestServer implements AutoCloseable {
    static final ObjectMapper JSON = WireJson.lenient();

    final Path dataDir;
    final ControlPlane controlPlane;
    final String baseUrl;
    final String operatorToken;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** The JDBC URL of this server's database; null for SQLite in the data dir. */
    final String databaseUrl;

    TestServer(Duration schedulerInterval) throws IOException {
        this(TestDatabase.SQLITE, schedulerInterval);
    }

    TestServer(TestDatabase database, Duration schedulerInterval) throws IOException {
        this(Files.createTempDirectory("roboflare-cp-test"), database.freshUrl(), schedulerInterval,
                ServerConfig.DEFAULT_IDEMPOTENCY_KEY_TTL);
    }

    TestServer(Path dataDir, Duration schedulerInterval) throws IOException {
        this(dataDir, null, schedulerInterval, ServerConfig.DEFAULT_IDEMPOTENCY_KEY_TTL);
    }

    /** Another server on {@code databaseUrl} (null: SQLite in dataDir), e.g. a second instance on one PostgreSQL. */
    TestServer(Path dataDir, String databaseUrl, Duration schedulerInterval, Duration idempotencyKeyTtl)
            throws IOException {
        this(dataDir, databaseUrl, schedulerInterval, idempotencyKeyTtl, Duration.ofHours(1), null, null);
    }

    /** Artifacts in S3 ({@code s3} non-null, see S3ProxyServer); download URLs valid for {@code downloadUrlTtl}. */
    TestServer(TestDatabase database, Duration downloadUrlTtl, S3StoreConfig s3) throws IOException {
        this(Files.createTempDirectory("roboflare-cp-test"), database.freshUrl(), Duration.ofHours(1),
                ServerConfig.DEFAULT_IDEMPOTENCY_KEY_TTL, downloadUrlTtl, s3, null);
    }

    /** A server started with {@code serve --agent-poll-interval}. */
    static TestServer withAgentPollInterval(TestDatabase database, Duration agentPollInterval) throws IOException {
        return new TestServer(Files.createTempDirectory("roboflare-cp-test"), database.freshUrl(), Duration.ofHours(1),
                ServerConfig.DEFAULT_IDEMPOTENCY_KEY_TTL, Duration.ofHours(1), null, agentPollInterval);
    }

    private TestServer(Path dataDir, String databaseUrl, Duration schedulerInterval, Duration idempotencyKeyTtl,
                       Duration downloadUrlTtl, S3StoreConfig s3, Duration agentPollInterval) throws IOException {
        this.dataDir = dataDir;
        this.databaseUrl = databaseUrl;
        this.controlPlane = ControlPlane.start(new ServerConfig(0, dataDir, "127.0.0.1", null, schedulerInterval,
                downloadUrlTtl, databaseUrl, databaseUrl == null ? null : TestDatabase.user(),
                databaseUrl == null ? null : TestDatabase.password(), idempotencyKeyTtl, s3, null, agentPollInterval));
        this.baseUrl = "http://127.0.0.1:" + controlPlane.port();
        this.operatorToken = Files.readString(dataDir.resolve("operator-token")).trim();
    }

    static TestServer start() throws IOException {
        return new TestServer(Duration.ofHours(1));
    }

    static TestServer start(TestDatabase database) throws IOException {
        return new TestServer(database, Duration.ofHours(1));
    }

    /** A JDBC connection to this server's database, for fixtures too big for the API (thousands of robots). */
    java.sql.Connection jdbc() throws java.sql.SQLException {
        return databaseUrl == null
                ? java.sql.DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("roboflare.db"))
                : java.sql.DriverManager.getConnection(databaseUrl, TestDatabase.user(), TestDatabase.password());
    }

    @Override
    public void close() {
        controlPlane.close();
    }

    record Reply(int status, String contentType, String body, HttpResponse<?> raw) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }

        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    HttpRequest.Builder request(String path, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(path.startsWith("http") ? path : baseUrl + path))
                .timeout(Duration.ofSeconds(60));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    Reply send(HttpRequest request) {
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Reply(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body(), r);
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    HttpResponse<InputStream> sendStreaming(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    Reply get(String path) {
        return get(path, operatorToken);
    }

    Reply get(String path, String token) {
        return send(request(path, token).GET().build());
    }

    Reply post(String path, String json) {
        return post(path, json, operatorToken);
    }

    Reply post(String path, String json, String token) {
        return send(request(path, token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    Reply put(String path) {
        return put(path, operatorToken);
    }

    Reply put(String path, String token) {
        return send(request(path, token).PUT(HttpRequest.BodyPublishers.noBody()).build());
    }

    Reply deploy(String idempotencyKey, String json) {
        return deploy(idempotencyKey, json, operatorToken);
    }

    Reply deploy(String idempotencyKey, String json, String token) {
        HttpRequest.Builder b = request("/api/deployments", token).header("Content-Type", "application/json");
        if (idempotencyKey != null) {
            b.header("Idempotency-Key", idempotencyKey);
        }
        return send(b.POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    Reply upload(String kind, String name, byte[] bytes) {
        return upload(kind, name, bytes, operatorToken);
    }

    Reply upload(String kind, String name, byte[] bytes, String token) {
        return send(request("/api/artifacts?kind=" + kind + "&name=" + name, token)
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build());
    }

    Reply upload(String kind, String name, Supplier<InputStream> body) {
        return send(request("/api/artifacts?kind=" + kind + "&name=" + name, operatorToken)
                // what curl --data-binary sends by default: nothing may parse it as a form
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofInputStream(body)).build());
    }

    // ---- fixtures: the usual chain an operator builds ----

    String artifactId(String name, String content) {
        Reply r = upload("app_tarball", name, content.getBytes(StandardCharsets.UTF_8));
        return r.json().get("id").asText();
    }

    String releaseId(String artifactId, String semver) {
        Reply r = post("/api/releases", "{\"artifact_id\":\"" + artifactId + "\",\"semver\":\"" + semver
                + "\",\"notes\":\"n\",\"manifest_json\":{\"entrypoint\":[\"bin/app\"]}}");
        if (r.status() != 201) {
            throw new AssertionError(r.body());
        }
        return r.json().get("id").asText();
    }

    /** A fresh release of a fresh artifact. */
    String newRelease() {
        String name = "app-" + UUID.randomUUID();
        return releaseId(artifactId(name, "bytes of " + name), "1.0.0");
    }

    JsonNode robot(String name) {
        Reply r = post("/api/robots", "{\"name\":\"" + name + "\"}");
        if (r.status() != 201) {
            throw new AssertionError(r.body());
        }
        return r.json();
    }

    JsonNode deployToRobot(String releaseId, String robotId) {
        Reply r = deploy(UUID.randomUUID().toString(), "{\"release_id\":\"" + releaseId
                + "\",\"target_kind\":\"robot\",\"target_id\":\"" + robotId + "\"}");
        if (r.status() != 201) {
            throw new AssertionError(r.body());
        }
        return r.json();
    }
}
