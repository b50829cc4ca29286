package dev.roboflare.agent.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roboflare.agent.log.Log;
import dev.roboflare.agent.metrics.AgentMetrics;
import dev.roboflare.protocol.AgentApi;
import dev.roboflare.protocol.ApiRoutes;
import dev.roboflare.agent.state.AgentJson;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import okhttp3.ConnectionPool;
import okhttp3.ConnectionSpec;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * The agent API of the control plane. Auth and the unreachable/back log lines are interceptors; retry and
 * backoff belong to the caller's loop, so the code that decides what to do with a deployment never sees them.
 */
public final class ControlPlaneClient {
    private static final ObjectMapper JSON = AgentJson.lenient();
    private static final MediaType JSON_TYPE = MediaType.get("application/json");

    /** The control plane answered, but not with what we asked for (401, 5xx...). */
    public static final class HttpError extends IOException {
        public final int status;

        HttpError(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    private final String base;
    private final OkHttpClient api;
    private final dev.roboflare.agent.trust.ControlPlaneTls tls;
    private final ReachabilityLog reachability;
    private final ConnectionPool pool = new ConnectionPool();
    private OkHttpClient downloads;
    private long maxDownloadRate;
    private int lastErrorStatus;
    private final ClockSkew clockSkew = new ClockSkew();

    public ControlPlaneClient(String controlPlane, String token) {
        this(controlPlane, token, null);
    }

    /** {@code tls} (nullable: the system CAs) is how the control plane's HTTPS certificate is trusted. */
    public ControlPlaneClient(String controlPlane, String token, dev.roboflare.agent.trust.ControlPlaneTls tls) {
        this.base = controlPlane.replaceAll("/+$", "");
        this.tls = tls;
        this.reachability = new ReachabilityLog(base, tls == null
                ? dev.roboflare.agent.trust.ControlPlaneTls.SYSTEM_CAS_HINT : tls.refusalHint());
        OkHttpClient.Builder api = builder();
        if (tls != null) {
            try {
                tls.applyStrict(api);
            } catch (java.security.GeneralSecurityException e) {
                throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
            }
        } else if (base.startsWith("http://")) {
            // OkHttp loads and parses the system CAs when a client that may speak TLS is built: about 8 MB of the
            // idle agent's RSS (scripts/bench) for a control plane reached over plain HTTP
            api.connectionSpecs(List.of(ConnectionSpec.CLEARTEXT));
        }
        this.api = api.addInterceptor(new BearerAuth(token)).addInterceptor(clockSkew).build();
    }

    private OkHttpClient.Builder builder() {
        return new OkHttpClient.Builder()
                .connectTimeout(Duration.ofSeconds(10))
                .readTimeout(Duration.ofSeconds(30))
                .writeTimeout(Duration.ofSeconds(30))
                .retryOnConnectionFailure(true)
                .connectionPool(pool)
                .addInterceptor(reachability);
    }

    /** The robot's clock against the control plane's, as last measured (reported, never used for deadlines). */
    public ClockSkew clockSkew() {
        return clockSkew;
    }

    /**
     * The client for signed download URLs (no bearer token), built at the first download: those URLs may be HTTPS
     * (S3) even when the control plane is not, and building it loads the system CAs.
     */
    /** {@code --max-download-rate}: bytes per second for every download (0: no cap); set before the first one. */
    public synchronized void capDownloadRate(long bytesPerSecond) {
        this.maxDownloadRate = bytesPerSecond;
        this.downloads = null;
    }

    public synchronized OkHttpClient downloads() {
        if (downloads == null) {
            OkHttpClient.Builder b = builder();
            if (tls != null) {
                try {
                    tls.applyLenient(b);
                } catch (java.security.GeneralSecurityException e) {
                    throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
                }
            }
            if (maxDownloadRate > 0) {
                b.addNetworkInterceptor(new DownloadRateCap(maxDownloadRate));
            }
            downloads = b.build();
        }
        return downloads;
    }

    public AgentApi.Poll poll() throws IOException {
        Request req = pollRequest();
        try (Response r = api.newCall(req).execute()) {
            if (r.code() != 200) {
                String body = r.body() == null ? "" : r.body().string();
                throw httpError(r.code(), "GET " + ApiRoutes.AGENT_DEPLOYMENTS + " answered " + r.code() + hint(r.code())
                        + (body.isBlank() ? "" : ": " + abbreviate(body)));
            }
            if (lastErrorStatus != 0) {
                Log.info().kv("step", "poll").kv("outcome", "ok").kv("after_http", lastErrorStatus)
                        .msg("the control plane answers normally again").emit();
                lastErrorStatus = 0;
            }
            AgentApi.Poll p = JSON.readValue(r.body().byteStream(), AgentApi.Poll.class);
            return p;
        }
    }

    private Request pollRequest() {
        Request.Builder b = new Request.Builder().url(base + ApiRoutes.AGENT_DEPLOYMENTS).get()
                .header(AgentMetrics.HEADER, AgentMetrics.current().summary());
        AgentApi.Progress progress = LiveProgress.current().value();
        if (progress != null) {
            b.header(AgentApi.PROGRESS_HEADER, progress.header());
            if (progress.waiting() != null) {
                b.header(AgentApi.WAITING_HEADER, progress.waiting().header());
            }
        }
        return b.build();
    }

    /**
     * Sends {@link LiveProgress} with a poll of its own every {@code every} while it changes (a phase runs without
     * the main loop polling); the answer is left unread, the main loop fetches its work itself. A failed send is
     * not logged: the main loop's own polls report an unreachable control plane.
     */
    public void reportProgressEvery(java.time.Duration every) {
        Thread t = new Thread(() -> {
            long sent = LiveProgress.current().version();
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Thread.sleep(every.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
                long now = LiveProgress.current().version();
                if (now != sent && LiveProgress.current().value() != null) {
                    sent = now;
                    try (Response ignored = api.newCall(pollRequest()).execute()) {
                        // presence only
                    } catch (IOException | RuntimeException e) {
                        // the main loop's polls say it when the control plane is unreachable
                    }
                }
            }
        }, "progress-reports");
        t.setDaemon(true);
        t.start();
    }

    /** POSTs one event and returns the HTTP status (201, 200 = duplicate, 404, 409...). */
    public int postEvent(String deploymentId, AgentApi.Event event) throws IOException {
        Request req = new Request.Builder().url(base + ApiRoutes.path(ApiRoutes.AGENT_EVENTS, deploymentId))
                .post(RequestBody.create(JSON.writeValueAsBytes(event), JSON_TYPE)).build();
        try (Response r = api.newCall(req).execute()) {
            return r.code();
        }
    }

    private HttpError httpError(int status, String message) {
        if (status != lastErrorStatus) { // one line per new kind of answer, not one per retry
            lastErrorStatus = status;
            Log.at(status == 401 || status == 403 ? Log.Priority.ERROR : Log.Priority.WARNING)
                    .kv("step", "poll").kv("outcome", "error").kv("http", status).msg(message).emit();
        }
        return new HttpError(status, message);
    }

    private static String hint(int status) {
        return status == 401 || status == 403 ? " (the robot token was rejected; check --token-file)" : "";
    }

    private static String abbreviate(String s) {
        String one = s.replaceAll("\\s+", " ").trim();
        return one.length() > 200 ? one.substring(0, 200) + "…" : one;
    }

    public void close() {
        api.dispatcher().executorService().shutdown();
        api.connectionPool().evictAll();
    }
}
