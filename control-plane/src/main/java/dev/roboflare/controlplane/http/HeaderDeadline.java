package dev.roboflare.controlplane.http;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.HttpConnection;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Closes a connection whose request headers are still incomplete after {@link #CHECK_MS} to twice that. Jetty's idle
 * timeout alone lets a client keep a half-sent request open for hours with a byte every few seconds; each such
 * socket costs no thread, but enough of them would reach the connection limit and keep robots out. Real clients
 * send their headers in one packet.
 */
final class HeaderDeadline implements Connection.Listener {
    static final long CHECK_MS = 5_000;

    private final Scheduler scheduler;
    private final Map<Connection, Scheduler.Task> checks = new ConcurrentHashMap<>();

    HeaderDeadline(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    @Override
    public void onOpened(Connection connection) {
        if (connection instanceof HttpConnection http) {
            checks.put(connection, scheduler.schedule(new Check(http), CHECK_MS, TimeUnit.MILLISECONDS));
        }
    }

    @Override
    public void onClosed(Connection connection) {
        Scheduler.Task task = checks.remove(connection);
        if (task != null) {
            task.cancel();
        }
    }

    /** Closes the connection when the same request was mid-headers at two checks in a row. */
    private final class Check implements Runnable {
        private final HttpConnection http;
        private long midHeadersAt = -1;

        Check(HttpConnection http) {
            this.http = http;
        }

        @Override
        public void run() {
            HttpParser parser = http.getParser();
            boolean midHeaders = !parser.isStart() && parser.inHeaderState();
            long request = http.getMessagesIn();
            if (midHeaders && request == midHeadersAt) {
                http.getEndPoint().close();
                return;
            }
            midHeadersAt = midHeaders ? request : -1;
            checks.computeIfPresent(http, (c, old) -> scheduler.schedule(this, CHECK_MS, TimeUnit.MILLISECONDS));
        }
    }
}
