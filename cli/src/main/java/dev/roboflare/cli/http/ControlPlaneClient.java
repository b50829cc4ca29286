package dev.roboflare.cli.http;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roboflare.cli.CliException;
import dev.roboflare.cli.ServerRefusal;
import dev.roboflare.protocol.ArtifactKind;
import dev.roboflare.protocol.OperatorApi;
import dev.roboflare.protocol.WireJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/** The operator API of one control plane, in the shared wire records ({@link OperatorApi}). */
public final class ControlPlaneClient {
    public static final ObjectMapper JSON = WireJson.lenient();
    private static final MediaType JSON_TYPE = MediaType.get("application/json");

    private final HttpUrl base;
    private final OkHttpClient http;

    public ControlPlaneClient(String baseUrl, String token) {
        HttpUrl parsed = HttpUrl.parse(baseUrl);
        if (parsed == null) {
            throw new CliException("control-plane URL '" + baseUrl + "' is not a valid http(s) URL");
        }
        this.base = parsed;
        this.http = new OkHttpClient.Builder()
                .addInterceptor(new RetryOnNetworkError(3, Duration.ofMillis(500)))
                .addInterceptor(new BearerAuth(token))
                .connectTimeout(Duration.ofSeconds(10))
                .readTimeout(Duration.ofSeconds(60))
                .writeTimeout(Duration.ofSeconds(60))
                .build();
    }

    /**
     * An answer and whether the server created something, or returned what already existed: 200 for uploads of
     * known bytes, or an Idempotency-Key replay (the original 201 again, marked {@code Idempotent-Replayed: true}).
     */
    public record Created<T>(T value, boolean created) {
    }

    public Created<OperatorApi.Artifact> uploadArtifact(Path file, ArtifactKind kind, String name,
                                                        ProgressBody.Listener progress) {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new CliException("cannot read " + file + ": " + e.getMessage(), e);
        }
        HttpUrl url = url("api", "artifacts").newBuilder().addQueryParameter("kind", kind.wire())
                .addQueryParameter("name", name).build();
        Request request = new Request.Builder().url(url).post(new ProgressBody(file, size, progress)).build();
        return created(request, OperatorApi.Artifact.class);
    }

    public Optional<OperatorApi.Artifact> findArtifact(String id) {
        return find(url("api", "artifacts", id), OperatorApi.Artifact.class);
    }

    /** What the artifact's chunk index covers; empty when it has none (or the control plane predates them). */
    public Optional<OperatorApi.ArtifactContent> findArtifactContent(String id) {
        return find(url("api", "artifacts", id, "content"), OperatorApi.ArtifactContent.class);
    }

    public OperatorApi.Release createRelease(OperatorApi.CreateRelease body) {
        return created(post(url("api", "releases"), body, null), OperatorApi.Release.class).value();
    }

    public List<OperatorApi.Release> releases() {
        return get(url("api", "releases"), new TypeReference<>() { });
    }

    public Optional<OperatorApi.Release> findRelease(String id) {
        return find(url("api", "releases", id), OperatorApi.Release.class);
    }

    public OperatorApi.RobotCredentials enrollRobot(String name) {
        return created(post(url("api", "robots"), new OperatorApi.CreateRobot(name), null),
                OperatorApi.RobotCredentials.class).value();
    }

    public List<OperatorApi.Robot> robots() {
        return get(url("api", "robots"), new TypeReference<>() { });
    }

    public Optional<OperatorApi.Robot> findRobot(String id) {
        return find(url("api", "robots", id), OperatorApi.Robot.class);
    }

    public OperatorApi.Fleet createFleet(OperatorApi.CreateFleet body) {
        return created(post(url("api", "fleets"), body, null), OperatorApi.Fleet.class).value();
    }

    public OperatorApi.Fleet addToFleet(String fleetId, String robotId) {
        Request request = new Request.Builder().url(url("api", "fleets", fleetId, "robots", robotId))
                .put(RequestBody.create(new byte[0], null)).build();
        return call(request, OperatorApi.Fleet.class);
    }

    public List<OperatorApi.Fleet> fleets() {
        return get(url("api", "fleets"), new TypeReference<>() { });
    }

    public Optional<OperatorApi.Fleet> findFleet(String id) {
        return find(url("api", "fleets", id), OperatorApi.Fleet.class);
    }

    public Created<OperatorApi.Deployment> deploy(String idempotencyKey, OperatorApi.CreateDeployment body) {
        return created(post(url("api", "deployments"), body, idempotencyKey), OperatorApi.Deployment.class);
    }

    public OperatorApi.Deployment deployment(String id) {
        return call(new Request.Builder().url(url("api", "deployments", id)).build(), OperatorApi.Deployment.class);
    }

    /** Newest first; with a robot id that robot's deployments (fleet children included), else top-level ones. */
    public List<OperatorApi.Deployment> deployments(String robotId, int limit) {
        HttpUrl.Builder b = url("api", "deployments").newBuilder().addQueryParameter("limit", Integer.toString(limit));
        if (robotId != null) {
            b.addQueryParameter("robot_id", robotId);
        }
        return get(b.build(), new TypeReference<>() { });
    }

    public List<OperatorApi.Event> events(String deploymentId) {
        return get(url("api", "deployments", deploymentId, "events"), new TypeReference<>() { });
    }

    public dev.roboflare.protocol.SignedStatement addSignature(String releaseId,
                                                               dev.roboflare.protocol.SignedStatement body) {
        return created(post(url("api", "releases", releaseId, "signatures"), body, null),
                dev.roboflare.protocol.SignedStatement.class).value();
    }

    public OperatorApi.RobotCredentials newRobotToken(String robotId) {
        return created(post(url("api", "robots", robotId, "tokens"), java.util.Map.of(), null),
                OperatorApi.RobotCredentials.class).value();
    }

    public List<dev.roboflare.protocol.TrustApi.RobotToken> revokeRobotTokens(String robotId, String tokenId) {
        return exchange(post(url("api", "robots", robotId, "revoke"),
                new dev.roboflare.protocol.TrustApi.RevokeRobotTokens(tokenId), null),
                (status, replayed, body) -> JSON.readValue(body, new TypeReference<>() { }));
    }

    /** {@code quota}: a size such as "50G", or null for none. */
    public dev.roboflare.protocol.TrustApi.Organisation createOrganisation(String name, String quota) {
        return created(post(url("api", "orgs"), new dev.roboflare.protocol.TrustApi.CreateOrganisation(name, quota),
                null),
                dev.roboflare.protocol.TrustApi.Organisation.class).value();
    }

    /** {@code quota}: a size such as "50G", or null to remove the quota. */
    public dev.roboflare.protocol.TrustApi.Organisation setQuota(String org, String quota) {
        Request put = post(url("api", "orgs", org, "quota"), new dev.roboflare.protocol.TrustApi.SetQuota(quota), null);
        return call(put.newBuilder().put(put.body()).build(), dev.roboflare.protocol.TrustApi.Organisation.class);
    }

    public List<dev.roboflare.protocol.TrustApi.Organisation> organisations() {
        return get(url("api", "orgs"), new TypeReference<>() { });
    }

    public dev.roboflare.protocol.TrustApi.OperatorTokenCreated createOperatorToken(String name, String org,
                                                                                    boolean readOnly) {
        return created(post(url("api", "operator-tokens"),
                new dev.roboflare.protocol.TrustApi.CreateOperatorToken(name, readOnly, org), null),
                dev.roboflare.protocol.TrustApi.OperatorTokenCreated.class).value();
    }

    public List<dev.roboflare.protocol.TrustApi.OperatorToken> operatorTokens() {
        return get(url("api", "operator-tokens"), new TypeReference<>() { });
    }

    public dev.roboflare.protocol.TrustApi.OperatorToken revokeOperatorToken(String tokenId) {
        return call(post(url("api", "operator-tokens", tokenId, "revoke"), java.util.Map.of(), null),
                dev.roboflare.protocol.TrustApi.OperatorToken.class);
    }

    public String baseUrl() {
        String s = base.toString();
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    // --- plumbing ---------------------------------------------------------------------------------------------

    private HttpUrl url(String... segments) {
        HttpUrl.Builder b = base.newBuilder();
        for (String s : segments) {
            b.addPathSegment(s);
        }
        return b.build();
    }

    private Request post(HttpUrl url, Object body, String idempotencyKey) {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException("wire records always serialize", e);
        }
        Request.Builder b = new Request.Builder().url(url).post(RequestBody.create(bytes, JSON_TYPE));
        if (idempotencyKey != null) {
            b.header("Idempotency-Key", idempotencyKey);
        }
        return b.build();
    }

    private <T> T get(HttpUrl url, TypeReference<T> type) {
        return exchange(new Request.Builder().url(url).build(), (status, replayed, body) -> JSON.readValue(body, type));
    }

    private <T> T call(Request request, Class<T> type) {
        return exchange(request, (status, replayed, body) -> JSON.readValue(body, type));
    }

    private <T> Created<T> created(Request request, Class<T> type) {
        return exchange(request, (status, replayed, body) -> new Created<>(JSON.readValue(body, type),
                status == 201 && !replayed));
    }

    private <T> Optional<T> find(HttpUrl url, Class<T> type) {
        try {
            return Optional.of(call(new Request.Builder().url(url).build(), type));
        } catch (ServerRefusal r) {
            if (r.status() == 404) {
                return Optional.empty();
            }
            throw r;
        }
    }

    private interface Reader<T> {
        T read(int status, boolean replayed, String body) throws IOException;
    }

    private <T> T exchange(Request request, Reader<T> reader) {
        try (Response response = http.newCall(request).execute()) {
            String body = response.body() == null ? "" : response.body().string();
            if (!response.isSuccessful()) {
                throw refusal(request, response, body);
            }
            try {
                return reader.read(response.code(), "true".equalsIgnoreCase(response.header("Idempotent-Replayed")),
                        body);
            } catch (IOException e) {
                throw new CliException(request.method() + " " + request.url().encodedPath() + " answered "
                        + response.code() + " with a body this roboflare cannot read (" + e.getMessage()
                        + "); is " + baseUrl() + " a Roboflare control plane?", e);
            }
        } catch (IOException e) {
            throw new CliException("cannot reach the control plane at " + baseUrl() + ": " + oneLine(e)
                    + " (set --url, ROBOFLARE_URL or url= in ~/.config/roboflare/config)", e);
        }
    }

    /** The server's problem detail on one line, e.g. "404 Not Found: no deployment with id 'x'; ...". */
    private static ServerRefusal refusal(Request request, Response response, String body) {
        String detail = null;
        String title = response.message();
        try {
            JsonNode problem = JSON.readTree(body);
            if (problem != null && problem.hasNonNull("detail")) {
                detail = problem.get("detail").asText();
                title = problem.path("title").asText(title);
            }
        } catch (IOException notJson) {
            // fall through: not a problem document (a proxy's error page, say)
        }
        if (detail == null) {
            String text = body.strip();
            detail = text.isEmpty() ? "(no detail)" : text.length() > 200 ? text.substring(0, 200) + "…" : text;
        }
        String status = response.code() + (title == null || title.isBlank() ? "" : " " + title);
        return new ServerRefusal(response.code(), (request.method() + " " + request.url().encodedPath() + " → "
                + status + ": " + detail).replaceAll("\\s*\\R\\s*", " "));
    }

    private static String oneLine(IOException e) {
        String m = e.getMessage();
        return (m == null ? e.getClass().getSimpleName() : m).replaceAll("\\s*\\R\\s*", " ");
    }
}
