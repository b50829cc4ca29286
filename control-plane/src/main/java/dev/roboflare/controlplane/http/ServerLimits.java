package dev.roboflare.controlplane.http;

import dev.roboflare.controlplane.trust.TlsConfig;
import io.javalin.config.JavalinConfig;
import jakarta.servlet.DispatcherType;
import java.util.EnumSet;
import org.eclipse.jetty.server.ConnectionLimit;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.servlet.FilterHolder;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * What keeps the server answering robots' polls while clients hold sockets open on purpose. Jetty parses headers
 * without a thread (a slow-header client costs a socket, bounded by {@link HeaderDeadline} and the connection
 * limit); a thread is taken when a handler reads a body or writes a response, so:
 * <ul>
 * <li>a body must arrive at 1 KiB/s on average after its first 5 s ({@link MinimumBodyRate}), a download be read
 * at that rate after its first 10 s (ArtifactRoutes), and a blocked read or write gives up after
 * {@link #IO_TIMEOUT_MS} without a byte. Jetty's own minimum data rates are not used: they count the server's own
 * pauses too, and cut small requests and responses on a busy host;</li>
 * <li>{@link RequestBodyGate} caps how many requests may be reading a body or sending a download at once, so
 * those never take every thread: requests without a body (polls, every GET) always find one;</li>
 * <li>request headers must be complete within 5 to 10 s ({@link HeaderDeadline});</li>
 * <li>at {@link #MAX_CONNECTIONS} open connections Jetty stops accepting and idles connections out faster.</li>
 * </ul>
 * Javalin 6 runs on Jetty 11; these are Jetty 11's own settings.
 */
public final class ServerLimits {
    static final int MAX_THREADS = 250;
    static final int MAX_CONNECTIONS = 4096;
    static final long IO_TIMEOUT_MS = 10_000;
    /** A connection idle between requests is closed after this. */
    static final long CONNECTION_IDLE_TIMEOUT_MS = 20_000;

    private ServerLimits() {
    }

    /** Applies the limits, the HTTP or HTTPS ({@code tls} non-null) connector on host:port and the request filters. */
    public static void apply(JavalinConfig config, TlsConfig tls, String host, int port, RequestBodyGate gate) {
        QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, 8, 60_000);
        threads.setName("http");
        config.jetty.threadPool = threads;
        config.jetty.modifyHttpConfiguration(ServerLimits::limit);
        config.jetty.addConnector((server, httpConfig) -> {
            limit(httpConfig);
            ServerConnector connector = tls == null ? new ServerConnector(server, new org.eclipse.jetty.server
                    .HttpConnectionFactory(httpConfig)) : tls.connector(server, httpConfig);
            connector.setHost(host);
            connector.setPort(port);
            connector.setIdleTimeout(CONNECTION_IDLE_TIMEOUT_MS);
            connector.addBean(new HeaderDeadline(connector.getScheduler()));
            ConnectionLimit limit = new ConnectionLimit(MAX_CONNECTIONS, server);
            limit.setIdleTimeout(2_000);
            server.addBean(limit);
            return connector;
        });
        config.jetty.modifyServletContextHandler(handler -> {
            handler.addFilter(new FilterHolder(new HeadAsGet()), "/*", EnumSet.of(DispatcherType.REQUEST));
            handler.addFilter(new FilterHolder(gate), "/*", EnumSet.of(DispatcherType.REQUEST));
        });
    }

    private static void limit(HttpConfiguration http) {
        http.setIdleTimeout(IO_TIMEOUT_MS);
        http.setSendServerVersion(false);
    }
}
