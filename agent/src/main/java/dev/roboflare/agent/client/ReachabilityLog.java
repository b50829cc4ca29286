package dev.roboflare.agent.client;

import dev.roboflare.agent.log.Log;
import java.io.IOException;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * Logs one warning when the control plane becomes unreachable and one info line when it is back, however many
 * retries happen in between (a cellular robot would otherwise fill its journal with the same line).
 */
public final class ReachabilityLog implements Interceptor {
    private final String controlPlane;
    private boolean unreachable;
    private long downSince;

    public ReachabilityLog(String controlPlane) {
        this.controlPlane = controlPlane;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Response r;
        try {
            r = chain.proceed(chain.request());
        } catch (IOException e) {
            down(e);
            throw e;
        }
        up();
        return r;
    }

    private synchronized void down(IOException e) {
        if (!unreachable) {
            unreachable = true;
            downSince = System.nanoTime();
            Log.warn().kv("step", "poll").kv("outcome", "unreachable").kv("control_plane", controlPlane)
                    .kv("error", e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
                    .msg("control plane unreachable; retrying with backoff, the app keeps running").emit();
        }
    }

    private synchronized void up() {
        if (unreachable) {
            unreachable = false;
            long secs = (System.nanoTime() - downSince) / 1_000_000_000L;
            Log.info().kv("step", "poll").kv("outcome", "reachable").kv("control_plane", controlPlane)
                    .kv("down_for", secs + "s").msg("control plane reachable again").emit();
        }
    }

    public synchronized boolean isUnreachable() {
        return unreachable;
    }
}
