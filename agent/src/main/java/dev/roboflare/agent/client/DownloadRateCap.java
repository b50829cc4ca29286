package dev.roboflare.agent.client;

import java.io.IOException;
import okhttp3.Interceptor;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;
import okio.ForwardingSource;
import okio.Okio;

/**
 * {@code --max-download-rate}: a token bucket shared by every download (whole artifacts and chunk batches) that
 * holds the reading thread back so the link carries at most {@code bytesPerSecond} on average, with at most one
 * second's worth in a burst. A network interceptor, so it meters the bytes as they come off the socket.
 */
final class DownloadRateCap implements Interceptor {
    private final long bytesPerSecond;
    private double tokens;
    private long lastRefill = System.nanoTime();

    DownloadRateCap(long bytesPerSecond) {
        this.bytesPerSecond = bytesPerSecond;
        this.tokens = bytesPerSecond;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Response r = chain.proceed(chain.request());
        ResponseBody body = r.body();
        if (body == null) {
            return r;
        }
        BufferedSource capped = Okio.buffer(new ForwardingSource(body.source()) {
            @Override
            public long read(Buffer sink, long byteCount) throws IOException {
                long n = super.read(sink, Math.min(byteCount, Math.max(1, bytesPerSecond / 10)));
                if (n > 0) {
                    take(n);
                }
                return n;
            }
        });
        return r.newBuilder().body(ResponseBody.create(capped, body.contentType(), body.contentLength())).build();
    }

    /** Waits until {@code n} bytes fit under the cap. */
    private synchronized void take(long n) throws IOException {
        refill();
        tokens -= n;
        while (tokens < 0) {
            long waitNanos = (long) (-tokens * 1e9 / bytesPerSecond);
            try {
                wait(Math.max(1, waitNanos / 1_000_000), (int) (waitNanos % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("download interrupted while rate-capped");
            }
            refill();
        }
    }

    private void refill() {
        long now = System.nanoTime();
        tokens = Math.min(bytesPerSecond, tokens + (now - lastRefill) * bytesPerSecond / 1e9);
        lastRefill = now;
    }
}
