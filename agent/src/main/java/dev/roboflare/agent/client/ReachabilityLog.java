package dev.roboflare.agent.client;

import dev.roboflare.agent.log.Log;
import dev.roboflare.agent.trust.ControlPlaneTls;
import java.io.IOException;
import javax.net.ssl.SSLException;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * Logs one warning when the control plane becomes unreachable and one info line when it is back, however many
 * retries happen in between (a cellular robot would otherwise fill its journal with the same line). A TLS refusal
 * (the certificate is not trusted) is its own error line with what to check: retrying will not fix it.
 */
public final class ReachabilityLog implements Interceptor {
    private final String controlPlane;
    private final String tlsHint;
    private boolean unreachable;
    private long downSince;

    public ReachabilityLog(String controlPlane) {
        this(controlPlane, ControlPlaneTls.SYSTEM_CAS_HINT);
    }

    /** {@code tlsHint}: what to check when the control plane's certificate is refused (ControlPlaneTls). */
    public ReachabilityLog(String controlPlane, String tlsHint) {
        this.controlPlane = controlPlane;
        this.tlsHint = tlsHint;
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
            if (e instanceof SSLException) {
                Log.error().kv("step", "poll").kv("outcome", "tls-refused").kv("control_plane", controlPlane)
                        .kv("error", rootMessage(e))
                        .msg("the control plane's TLS certificate is not trusted: " + tlsHint
                                + "; the agent keeps retrying with backoff, the app keeps running").emit();
                return;
            }
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

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    public synchronized boolean isUnreachable() {
        return unreachable;
    }
}
