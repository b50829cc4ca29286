package dev.roboflare.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Collections;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The Prometheus text on a loopback-only port, and the compact summary sent with each poll. */
class MetricsEndpointTest {
    @Test
    void metricsAreServedAsPrometheusTextOnLoopbackOnly() throws Exception {
        AgentMetrics m = new AgentMetrics();
        m.outboxDepth(() -> 2);
        m.deploymentEnded("applied"); // counted before the endpoint made the Micrometer meters: carried over
        m.pollError();

        try (MetricsEndpoint endpoint = new MetricsEndpoint(m, 0)) {
            m.deploymentEnded("applied");
            m.deploymentEnded("rolled_back");
            m.downloaded(1_048_576);
            m.phase("download", TimeUnit.MILLISECONDS.toNanos(1500));
            m.phase("rollback", TimeUnit.MILLISECONDS.toNanos(250));
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + endpoint.port() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
                    .startsWith("text/plain; version=0.0.4"));
            assertThat(r.body())
                    .contains("# TYPE roboflare_agent_deployments_total counter\n")
                    .contains("roboflare_agent_deployments_total{outcome=\"applied\"} 2\n")
                    .contains("roboflare_agent_deployments_total{outcome=\"failed\"} 0\n")
                    .contains("roboflare_agent_deployments_total{outcome=\"rolled_back\"} 1\n")
                    .contains("roboflare_agent_download_bytes_total 1048576\n")
                    .contains("roboflare_agent_poll_errors_total 1\n")
                    .contains("roboflare_agent_outbox_depth 2\n")
                    .contains("roboflare_agent_phase_duration_seconds_count{phase=\"download\"} 1\n")
                    .contains("roboflare_agent_phase_duration_seconds_sum{phase=\"download\"} 1.500000\n")
                    .contains("roboflare_agent_phase_duration_seconds_sum{phase=\"rollback\"} 0.250000\n");

            InetAddress other = Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                    .flatMap(i -> Collections.list(i.getInetAddresses()).stream())
                    .filter(a -> !a.isLoopbackAddress() && a instanceof java.net.Inet4Address).findFirst().orElse(null);
            if (other != null) { // reachable only through loopback
                try (Socket s = new Socket()) {
                    s.connect(new java.net.InetSocketAddress(other, endpoint.port()), 1000);
                    throw new AssertionError("the metrics port answered on " + other);
                } catch (java.io.IOException expected) {
                    // refused: good
                }
            }
        }
        assertThat(m.summary()).isEqualTo(
                "applied=2 failed=0 rolled_back=1 poll_errors=1 outbox=2 download_bytes=1048576");
    }
}
