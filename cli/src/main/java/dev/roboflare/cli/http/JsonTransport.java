package dev.roboflare.cli.http;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roboflare.cli.CliException;
import dev.roboflare.cli.ServerRefusal;
import dev.roboflare.protocol.ApiRoutes;
import dev.roboflare.protocol.WireJson;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * JSON over HTTP to the control plane, shared by the per-resource clients: the base URL, the bearer token, retries
 * on network errors, and one way of turning any answer that is not 2xx into a {@link ServerRefusal} that says what
 * the server said.
 */
final class JsonTransport {
    static final ObjectMapper JSON = WireJson.lenient();
    private static final MediaType JSON_TYPE = MediaType.get("application/json");

    private final HttpUrl base;
    private final OkHttpClient http;

    JsonTransport(String baseUrl, String token) {
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

    public String baseUrl() {
        String s = base.toString();
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    /** The route (ApiRoutes) with its ids filled in, under the base URL's own path (a reverse proxy's prefix). */
    HttpUrl url(String route, String... ids) {
        return base.newBuilder().addEncodedPathSegments(ApiRoutes.path(route, ids).substring(1)).build();
    }

    Request post(HttpUrl url, Object body, String idempotencyKey) {
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

    <T> T get(HttpUrl url, TypeReference<T> type) {
        return exchange(new Request.Builder().url(url).build(), (status, replayed, body) -> JSON.readValue(body, type));
    }

    <T> T call(Request request, Class<T> type) {
        return exchange(request, (status, replayed, body) -> JSON.readValue(body, type));
    }

    <T> Created<T> created(Request request, Class<T> type) {
        return exchange(request, (status, replayed, body) -> new Created<>(JSON.readValue(body, type),
                status == 201 && !replayed));
    }

    <T> Optional<T> find(HttpUrl url, Class<T> type) {
        try {
            return Optional.of(call(new Request.Builder().url(url).build(), type));
        } catch (ServerRefusal r) {
            if (r.status() == 404) {
                return Optional.empty();
            }
            throw r;
        }
    }

    interface Reader<T> {
        T read(int status, boolean replayed, String body) throws IOException;
    }

    <T> T exchange(Request request, Reader<T> reader) {
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
