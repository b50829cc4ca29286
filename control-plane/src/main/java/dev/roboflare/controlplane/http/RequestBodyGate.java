package dev.roboflare.controlplane.http;

import dev.roboflare.protocol.ApiRoutes;
import dev.roboflare.controlplane.api.Problems;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * Caps the requests that can hold a server thread for long: those reading a request body (a client can send it
 * a byte at a time) and artifact downloads, whole or as delta chunk batches (a client can read them slowly). Over a cap the request is refused at
 * once with 503 and Retry-After, without reading its body, so however many such sockets a client holds, requests
 * without a body (every poll, every GET) still find a thread. A request whose bearer token is refused gives its
 * place back at once (the routes check the token before they read the body), so the caps only bind callers with a
 * valid token, and the status page's forms, which are also bounded to {@link #MAX_FORM_BYTES}. A body must also keep
 * coming ({@link MinimumBodyRate}), so a slow sender gives its place back within seconds.
 */
public final class RequestBodyGate implements Filter {
    static final int MAX_FORM_BYTES = 16 * 1024;
    static final int UPLOADS = 16;
    static final int UPLOADS_PER_TOKEN = 4;
    static final int AGENT_BODIES = 50;
    static final int OTHER_BODIES = 32;
    static final int DOWNLOADS = 100;

    private final Semaphore uploads = new Semaphore(UPLOADS);
    private final Semaphore agentBodies = new Semaphore(AGENT_BODIES);
    private final Semaphore otherBodies = new Semaphore(OTHER_BODIES);
    private final Semaphore downloads = new Semaphore(DOWNLOADS);
    private final ConcurrentHashMap<String, Integer> uploadsByToken = new ConcurrentHashMap<>();

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest req = (HttpServletRequest) request;
        HttpServletResponse res = (HttpServletResponse) response;
        String path = req.getRequestURI();
        boolean hasBody = req.getContentLengthLong() > 0 || req.getHeader("Transfer-Encoding") != null;
        if (path.startsWith("/api/artifacts/") && path.endsWith("/download")) {
            pass(downloads, "artifact downloads", req, res, chain);
        } else if (path.startsWith("/api/artifacts/") && path.endsWith("/chunks") && hasBody) {
            // a delta download's chunk batch: a small body, then up to a download's worth of bytes out
            pass(downloads, "artifact downloads", new MinimumBodyRate(req), res, chain);
        } else if (!hasBody) {
            chain.doFilter(request, response);
        } else if (path.startsWith("/ui")) {
            if (req.getContentLengthLong() < 0 || req.getContentLengthLong() > MAX_FORM_BYTES) {
                refuse(res, 413, "a status page form is at most " + MAX_FORM_BYTES + " bytes, sent with a "
                        + "Content-Length; this one " + (req.getContentLengthLong() < 0 ? "has none"
                        : "is " + req.getContentLengthLong() + " bytes"));
                return;
            }
            pass(otherBodies, "requests with a body", new MinimumBodyRate(req), res, chain);
        } else if (path.equals(ApiRoutes.ARTIFACTS) && "POST".equals(req.getMethod())) {
            upload(req, res, chain);
        } else if (path.startsWith("/api/agent/")) {
            pass(agentBodies, "robot reports", new MinimumBodyRate(req), res, chain);
        } else {
            pass(otherBodies, "requests with a body", new MinimumBodyRate(req), res, chain);
        }
    }

    private void upload(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        String token = String.valueOf(req.getHeader("Authorization"));
        if (uploadsByToken.merge(token, 1, Integer::sum) > UPLOADS_PER_TOKEN) {
            release(token);
            refuse(res, 503, "this token already has " + UPLOADS_PER_TOKEN + " uploads in progress; wait for one "
                    + "to finish and retry");
            return;
        }
        try {
            pass(uploads, "uploads", new MinimumBodyRate(req), res, chain);
        } finally {
            release(token);
        }
    }

    private void release(String token) {
        uploadsByToken.computeIfPresent(token, (k, v) -> v <= 1 ? null : v - 1);
    }

    private static void pass(Semaphore slots, String what, HttpServletRequest req, HttpServletResponse res,
                             FilterChain chain) throws IOException, ServletException {
        if (!slots.tryAcquire()) {
            refuse(res, 503, "the control plane is busy with as many " + what + " as it takes at once; retry in a "
                    + "few seconds");
            return;
        }
        try {
            chain.doFilter(req, res);
        } finally {
            slots.release();
        }
    }

    private static void refuse(HttpServletResponse res, int status, String detail) throws IOException {
        res.setStatus(status);
        if (status == 503) {
            res.setHeader("Retry-After", "5");
        }
        res.setHeader("Connection", "close"); // the body was not read: the connection cannot carry another request
        res.setHeader("X-Content-Type-Options", "nosniff");
        res.setContentType("application/problem+json");
        byte[] body = Problems.body(status, detail).getBytes(StandardCharsets.UTF_8);
        res.setContentLength(body.length);
        res.getOutputStream().write(body);
    }
}
