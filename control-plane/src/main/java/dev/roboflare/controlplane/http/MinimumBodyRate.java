package dev.roboflare.controlplane.http;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.IOException;
import org.eclipse.jetty.http.BadMessageException;

/**
 * A request body that must keep arriving at {@link #BYTES_PER_SECOND} on average once {@link #GRACE_MS} have passed,
 * else the read fails with 408: a client sending a byte every few seconds gives its thread back within seconds.
 * Jetty's own minimum request data rate is not used: it counts from the handler's first read, so a small body
 * read in two calls with a pause between them (a busy machine, a GC) failed at once.
 */
final class MinimumBodyRate extends HttpServletRequestWrapper {
    static final long BYTES_PER_SECOND = 1024;
    static final long GRACE_MS = 5_000;

    private final long startNanos = System.nanoTime();
    private ServletInputStream guarded;

    MinimumBodyRate(HttpServletRequest request) {
        super(request);
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
        if (guarded == null) {
            guarded = new Guarded(super.getInputStream());
        }
        return guarded;
    }

    private void check(long received) {
        long elapsedMs = (System.nanoTime() - startNanos) / 1_000_000;
        if (elapsedMs > GRACE_MS && received < BYTES_PER_SECOND * (elapsedMs - GRACE_MS) / 1000) {
            throw new BadMessageException(408, "request body arrived at under " + BYTES_PER_SECOND + " B/s");
        }
    }

    private final class Guarded extends ServletInputStream {
        private final ServletInputStream in;
        private long received;

        Guarded(ServletInputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                check(++received);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                received += n;
                check(received);
            }
            return n;
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }
    }
}
