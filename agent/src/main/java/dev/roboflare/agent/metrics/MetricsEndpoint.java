package dev.roboflare.agent.metrics;

import com.sun.net.httpserver.HttpServer;
import dev.roboflare.agent.log.Log;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET http://127.0.0.1:PORT/metrics}: the agent's metrics in Prometheus text. Bound to loopback only (a
 * node exporter or a local scraper reads it; nothing on the lab network can), and only when
 * {@code --metrics-port} is set. One small daemon thread; a scrape never touches the main loop.
 */
public final class MetricsEndpoint implements AutoCloseable {
    private final HttpServer server;

    public MetricsEndpoint(AgentMetrics metrics, int port) throws IOException {
        MeterRegistry registry = metrics.registry(); // the meters exist from now on, not from the first scrape
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 4);
        server.createContext("/metrics", ex -> {
            try (ex) {
                if (!ex.getRequestMethod().equals("GET")) {
                    ex.sendResponseHeaders(405, -1);
                    return;
                }
                byte[] body = PrometheusText.render(registry).getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
                ex.sendResponseHeaders(200, body.length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(body);
                }
            }
        });
        server.setExecutor(null); // the server's own single dispatcher thread
        server.start();
        Log.info().kv("step", "metrics").kv("outcome", "listening")
                .kv("url", "http://127.0.0.1:" + port() + "/metrics").emit();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
