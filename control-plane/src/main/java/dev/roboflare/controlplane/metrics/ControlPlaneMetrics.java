package dev.roboflare.controlplane.metrics;

import dev.roboflare.protocol.ApiRoutes;
import io.javalin.http.Context;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The control plane's own health in Prometheus text (served by {@link MetricsEndpoint} on serve --metrics-port).
 * HTTP requests, polls and deployments created are measured here from each finished request; events appended,
 * idempotency replays and conflicts, scheduler ticks and the database pool are counted where they happen, on
 * Micrometer's global registry, to which this registry is added while the control plane runs. The names below are
 * the public contract of docs/grafana/roboflare-control-plane.json.
 */
public final class ControlPlaneMetrics implements AutoCloseable {
    /** Per route template, method and status, with a latency histogram: roboflare_http_requests_seconds_*. */
    public static final String HTTP_REQUESTS = "roboflare.http.requests";
    /** Agent polls answered 200: roboflare_agent_polls_total. */
    public static final String POLLS = "roboflare.agent.polls";
    /**
     * Deployments created (201, not a replay): roboflare_deployment_creations_total (a name ending in "created"
     * would clash with Prometheus' own _created series).
     */
    public static final String DEPLOYMENTS_CREATED = "roboflare.deployment.creations";
    /** Events committed, by status and reported_by: roboflare_events_appended_total. */
    public static final String EVENTS_APPENDED = "roboflare.events.appended";
    /** Idempotency-Key answered from the stored response: roboflare_idempotency_replays_total. */
    public static final String IDEMPOTENCY_REPLAYS = "roboflare.idempotency.replays";
    /** Same key with another body (422) or still in flight (409): roboflare_idempotency_conflicts_total. */
    public static final String IDEMPOTENCY_CONFLICTS = "roboflare.idempotency.conflicts";
    /** Scheduler ticks, and deployments they dispatched: roboflare_scheduler_ticks_total, ..._dispatched_total. */
    public static final String SCHEDULER_TICKS = "roboflare.scheduler.ticks";
    public static final String SCHEDULER_DISPATCHED = "roboflare.scheduler.dispatched";
    /** Bytes of distinct artifacts stored (the shared database's view): roboflare_artifact_store_bytes. */
    public static final String ARTIFACT_STORE_BYTES = "roboflare.artifact.store.bytes";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Counter polls;
    private final Counter deploymentsCreated;

    public ControlPlaneMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        polls = Counter.builder(POLLS).description("agent polls answered 200").register(registry);
        deploymentsCreated = Counter.builder(DEPLOYMENTS_CREATED).description("deployments created (not replays)")
                .register(registry);
        // The counters the storage and scheduler code update on the global registry appear here from now on.
        Metrics.addRegistry(registry);
        // Registered up front so a dashboard shows 0, not "no data", before the first one happens.
        Metrics.counter(IDEMPOTENCY_REPLAYS);
        Metrics.counter(IDEMPOTENCY_CONFLICTS);
        Metrics.counter(SCHEDULER_TICKS);
        Metrics.counter(SCHEDULER_DISPATCHED);
    }

    /** The database's answer, read at each scrape (every instance on one database shows the same figure). */
    public void artifactStoreBytes(Supplier<Number> bytes) {
        Gauge.builder(ARTIFACT_STORE_BYTES, () -> bytes.get().doubleValue()).baseUnit("bytes")
                .description("bytes of distinct artifacts stored").register(registry);
    }

    /** For Javalin's request logger: called once per finished request, errors included. */
    public void request(Context ctx, Float millis) {
        int status = ctx.statusCode();
        String route = route(ctx);
        Timer.builder(HTTP_REQUESTS).description("HTTP requests by route template, method and status")
                .tags("method", ctx.method().name(), "route", route, "status", Integer.toString(status))
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30)).register(registry)
                .record((long) (millis * 1_000_000), TimeUnit.NANOSECONDS);
        if (status == 200 && route.equals(ApiRoutes.AGENT_DEPLOYMENTS)) {
            polls.increment();
        } else if (status == 201 && route.equals(ApiRoutes.DEPLOYMENTS) && ctx.res().getHeader("Idempotent-Replayed") == null) {
            deploymentsCreated.increment();
        }
    }

    /** The route template ("/api/robots/{id}"), never the raw path: ids would make one series per robot. */
    private static String route(Context ctx) {
        try {
            String path = ctx.endpointHandlerPath();
            return path.isEmpty() || path.equals("*") ? "unmatched" : path;
        } catch (IllegalStateException noEndpoint) { // a 404 for a path no route matches
            return "unmatched";
        }
    }

    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        Metrics.removeRegistry(registry);
        registry.close();
    }
}
