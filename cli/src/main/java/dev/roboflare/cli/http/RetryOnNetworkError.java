package dev.roboflare.cli.http;

import java.io.IOException;
import java.time.Duration;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Retries a call that failed on the network (no answer at all) when repeating it is safe: reads, idempotent
 * PUTs, and POSTs that carry an {@code Idempotency-Key} (the control plane answers a replay with the deployment
 * the first attempt created). Server answers, even 5xx, are never retried here.
 */
final class RetryOnNetworkError implements Interceptor {
    private final int attempts;
    private final Duration firstBackoff;

    RetryOnNetworkError(int attempts, Duration firstBackoff) {
        this.attempts = attempts;
        this.firstBackoff = firstBackoff;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        if (!safeToRepeat(request)) {
            return chain.proceed(request);
        }
        IOException last = null;
        long backoff = firstBackoff.toMillis();
        for (int attempt = 1; attempt <= attempts; attempt++) {
            try {
                return chain.proceed(request);
            } catch (IOException e) {
                last = e;
                if (attempt < attempts) {
                    sleep(backoff);
                    backoff *= 2;
                }
            }
        }
        throw last;
    }

    static boolean safeToRepeat(Request request) {
        return switch (request.method()) {
            case "GET", "HEAD", "PUT" -> true;
            case "POST" -> request.header("Idempotency-Key") != null;
            default -> false;
        };
    }

    private static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting to retry", e);
        }
    }
}
