package dev.roboflare.agent.client;

import dev.roboflare.agent.log.Log;
import java.io.IOException;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * Measures how far the robot's wall clock is from the control plane's, from the {@code Date} header of each
 * answer (against the middle of the request; 1 s resolution). The skew is reported — logged when it first
 * exceeds {@value #REPORT_MS} ms or moves by that much, and sent back as {@code Roboflare-Clock-Skew-Ms} on the
 * next request — and never used: every deadline of the agent (watch window, backoff, watchdog) runs on the
 * monotonic clock, so a robot booted with its clock in 1970 updates just the same.
 */
public final class ClockSkew implements Interceptor {
    public static final String HEADER = "Roboflare-Clock-Skew-Ms";
    static final long REPORT_MS = 5_000;

    private volatile Long skewMs;
    private Long reportedMs;

    /** Control-plane clock minus robot clock in milliseconds (positive: the robot is behind), or null. */
    public Long skewMs() {
        return skewMs;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Long known = skewMs;
        var request = known == null ? chain.request()
                : chain.request().newBuilder().header(HEADER, Long.toString(known)).build();
        long sent = System.currentTimeMillis(); // wall clock on purpose: it is what is being measured
        Response response = chain.proceed(request);
        long received = System.currentTimeMillis();
        String date = response.header("Date");
        if (date != null) {
            try {
                long server = ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
                observe(server - (sent + received) / 2);
            } catch (DateTimeParseException ignored) {
                // a proxy with a broken Date header: no measurement this time
            }
        }
        return response;
    }

    synchronized void observe(long skew) {
        skewMs = skew;
        boolean worthSaying = reportedMs == null ? Math.abs(skew) >= REPORT_MS : Math.abs(skew - reportedMs) >= REPORT_MS;
        if (worthSaying) {
            reportedMs = skew;
            Log.at(Math.abs(skew) >= 60_000 ? Log.Priority.WARNING : Log.Priority.NOTICE).kv("step", "clock")
                    .kv("outcome", "skew").kv("skew_ms", skew)
                    .msg("the robot's clock is " + Math.abs(skew) / 1000 + " s " + (skew > 0 ? "behind" : "ahead of")
                            + " the control plane's; only log timestamps are affected, deadlines use the monotonic "
                            + "clock")
                    .emit();
        }
    }
}
