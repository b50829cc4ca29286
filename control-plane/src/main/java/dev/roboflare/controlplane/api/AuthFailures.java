package dev.roboflare.controlplane.api;

import dev.roboflare.controlplane.LogText;
import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit trail of refused credentials: one warning per refused token, login or download signature, with the
 * source address, at most {@link #PER_MINUTE} a minute (then one line with how many more there were), so someone
 * guessing tokens cannot flood the journal.
 */
public final class AuthFailures {
    private static final Logger log = LoggerFactory.getLogger(AuthFailures.class);
    static final int PER_MINUTE = 20;
    private static final long MINUTE_NANOS = 60_000_000_000L;

    private static long windowStart = System.nanoTime();
    private static int logged;
    private static int suppressed;

    private AuthFailures() {
    }

    /** {@code what}: our own words, e.g. "unknown robot token" (never the token). */
    public static void record(Context ctx, String what) {
        String forwarded = ctx.header("X-Forwarded-For");
        String line = what + " on " + ctx.method() + " " + LogText.of(ctx.path()) + " from " + ctx.req().getRemoteAddr()
                + (forwarded == null ? "" : " (X-Forwarded-For " + LogText.of(forwarded) + ")");
        int dropped = -1;
        synchronized (AuthFailures.class) {
            long now = System.nanoTime();
            if (now - windowStart >= MINUTE_NANOS) {
                dropped = suppressed;
                windowStart = now;
                logged = 0;
                suppressed = 0;
            }
            if (logged >= PER_MINUTE) {
                suppressed++;
                return;
            }
            logged++;
        }
        if (dropped > 0) {
            log.warn("authentication failed {} more time(s) in the previous minute (not logged one by one)", dropped);
        }
        log.warn("authentication failed: {}", line);
    }
}
