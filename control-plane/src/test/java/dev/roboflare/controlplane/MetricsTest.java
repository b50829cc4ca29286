package dev.roboflare.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roboflare.protocol.WireJson;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The control plane's own metrics, read as Prometheus would: what an operator does moves the counters it should,
 * the histogram is labelled with route templates (not ids), the port answers on loopback, and every metric the
 * shipped Grafana dashboard (docs/grafana/) queries exists.
 */
class MetricsTest {
    private static final Pattern METRIC = Pattern.compile("\\b((?:roboflare|hikaricp|jvm|process|system)_[a-z0-9_]+)");

    @Test
    void requestsPollsEventsDeploymentsReplaysConflictsAndTicksAreCounted() throws Exception {
        try (TestServer server = new TestServer(Duration.ofMillis(100))) {
            Scrape before = scrape(server);
            JsonNode robot = server.robot("metrics-1");
            String release = server.newRelease();
            String body = "{\"release_id\":\"" + release + "\",\"target_kind\":\"robot\",\"target_id\":\""
                    + robot.get("id").asText() + "\"}";
            String key = UUID.randomUUID().toString();
            String deployment = server.deploy(key, body).json().get("id").asText();
            assertThat(server.deploy(key, body).header("Idempotent-Replayed")).isEqualTo("true");
            assertThat(server.deploy(key, body.replace("robot\"", "robot\",\"force\":true")).status()).isEqualTo(422);
            assertThat(server.get("/api/agent/deployments", robot.get("token").asText()).status()).isEqualTo(200);
            assertThat(server.post("/api/agent/deployments/" + deployment + "/events", "{\"event_id\":\""
                    + UUID.randomUUID() + "\",\"status\":\"applied\"}", robot.get("token").asText()).status())
                    .isEqualTo(201);
            assertThat(server.get("/api/robots/" + robot.get("id").asText()).status()).isEqualTo(200);
            assertThat(server.get("/api/no-such-route").status()).isEqualTo(404);

            Scrape after = scrape(server);
            for (int i = 0; i < 50 && after.value("roboflare_scheduler_ticks_total") <= before.value(
                    "roboflare_scheduler_ticks_total"); i++) {
                Thread.sleep(100);
                after = scrape(server);
            }
            assertThat(after.delta(before, "roboflare_deployment_creations_total")).isEqualTo(1);
            assertThat(after.delta(before, "roboflare_idempotency_replays_total")).isEqualTo(1);
            assertThat(after.delta(before, "roboflare_idempotency_conflicts_total")).isEqualTo(1);
            assertThat(after.delta(before, "roboflare_agent_polls_total")).isEqualTo(1);
            assertThat(after.delta(before, "roboflare_events_appended_total", "status", "applied",
                    "reported_by", "robot")).isEqualTo(1);
            assertThat(after.delta(before, "roboflare_events_appended_total", "status", "dispatched",
                    "reported_by", "control_plane")).isEqualTo(1);
            assertThat(after.delta(before, "roboflare_scheduler_ticks_total")).isPositive();
            assertThat(after.delta(before, "roboflare_http_requests_seconds_count", "route", "/api/robots/{id}",
                    "method", "GET", "status", "200")).isEqualTo(1);
            assertThat(after.delta(before, "roboflare_http_requests_seconds_count", "route", "/api/deployments",
                    "method", "POST", "status", "422")).isEqualTo(1);
            assertThat(after.delta(before, "roboflare_http_requests_seconds_count", "route", "unmatched",
                    "status", "404")).isEqualTo(1);
            assertThat(after.text).doesNotContain(robot.get("id").asText()); // one series per route, not per robot
            assertThat(after.value("roboflare_artifact_store_bytes")).isPositive();
            assertThat(after.value("hikaricp_connections_max")).isPositive();
            assertThat(after.text).contains("roboflare_http_requests_seconds_bucket{");
        }
    }

    @Test
    void everyMetricTheGrafanaDashboardQueriesExists() throws Exception {
        Set<String> referenced = new TreeSet<>();
        try (DirectoryStream<Path> dashboards = Files.newDirectoryStream(Path.of("..", "docs", "grafana"), "*.json")) {
            for (Path dashboard : dashboards) {
                for (JsonNode expr : WireJson.lenient().readTree(dashboard.toFile()).findValues("expr")) {
                    Matcher m = METRIC.matcher(expr.asText());
                    while (m.find()) {
                        referenced.add(m.group(1));
                    }
                }
            }
        }
        assertThat(referenced).as("metrics referenced by docs/grafana/*.json").hasSizeGreaterThan(10);
        try (TestServer server = new TestServer(Duration.ofMillis(100))) {
            server.robot("dashboard"); // one request, so the request histogram has a series
            Thread.sleep(300); // a scheduler tick
            Set<String> exposed = scrape(server).names();
            assertThat(exposed).containsAll(referenced);
        }
    }

    @Test
    void metricsPortServesPrometheusTextOnLoopback() throws Exception {
        Path data = Files.createTempDirectory("roboflare-metrics");
        ServerConfig config = new ServerConfig(0, data, "127.0.0.1", null, Duration.ofHours(1), Duration.ofHours(1),
                null, null, null, ServerConfig.DEFAULT_IDEMPOTENCY_KEY_TTL, null, null, null);
        try (ControlPlane cp = ControlPlane.start(config, new ControlPlane.MetricsOptions("127.0.0.1", 0))) {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + cp.metricsPort() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
                    .startsWith("text/plain; version=0.0.4"));
            assertThat(r.body()).contains("# TYPE roboflare_agent_polls_total counter");
            assertThat(cp.metricsPort()).isNotEqualTo(cp.port());
        }
    }

    private static Scrape scrape(TestServer server) {
        return new Scrape(server.controlPlane.metricsText());
    }

    /** One scrape: sample lines summed over the series that carry the given labels. */
    private record Scrape(String text) {
        double value(String name, String... labels) {
            Map<String, String> wanted = new LinkedHashMap<>();
            for (int i = 0; i < labels.length; i += 2) {
                wanted.put(labels[i], labels[i + 1]);
            }
            double sum = 0;
            for (String line : text.split("\n")) {
                if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                    String series = line.substring(0, line.lastIndexOf(' '));
                    if (wanted.entrySet().stream().allMatch(e -> series.contains(e.getKey() + "=\"" + e.getValue() + "\""))) {
                        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                    }
                }
            }
            return sum;
        }

        double delta(Scrape before, String name, String... labels) {
            return value(name, labels) - before.value(name, labels);
        }

        Set<String> names() {
            Set<String> names = new TreeSet<>();
            for (String line : text.split("\n")) {
                if (!line.startsWith("#") && !line.isBlank()) {
                    names.add(line.split("[{ ]", 2)[0]);
                }
            }
            return names;
        }
    }
}
