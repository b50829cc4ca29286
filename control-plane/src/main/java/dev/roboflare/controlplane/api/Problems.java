package dev.roboflare.controlplane.api;

import dev.roboflare.controlplane.LogText;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roboflare.controlplane.RequestRejected;
import dev.roboflare.protocol.OperatorApi.Problem;
import dev.roboflare.protocol.WireJson;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Every error leaves as an RFC 9457 problem (application/problem+json); only bugs become 500s. */
public final class Problems {
    private static final Logger log = LoggerFactory.getLogger(Problems.class);
    private static final ObjectMapper JSON = WireJson.lenient();
    static final String CONTENT_TYPE = "application/problem+json";

    private Problems() {
    }

    public static void register(Javalin app) {
        app.exception(RequestRejected.class, (e, ctx) -> write(ctx, e.status(), e.detail()));
        // Javalin's own refusals: unknown route (404), body over maxRequestSize (413), ...
        app.exception(HttpResponseException.class, (e, ctx) -> write(ctx, e.getStatus(), javalinDetail(ctx, e)));
        app.exception(Exception.class, (e, ctx) -> {
            int slow = tooSlow(e);
            if (slow > 0) { // a client that sends its body too slowly: no stack trace for each of an attacker's sockets
                write(ctx, slow, "the request body arrived too slowly (under 1024 bytes a second on average after "
                        + "its first 5 s, or nothing for 10 s); send it again at full speed");
                return;
            }
            String errorId = UUID.randomUUID().toString();
            log.error("error {} on {} {}", errorId, ctx.method(), LogText.of(ctx.path()), e);
            write(ctx, 500, "internal error while handling " + ctx.method() + " " + ctx.path()
                    + "; nothing about the request was wrong. The server log has the cause under error id " + errorId);
        });
        app.error(404, ctx -> {
            if (ctx.result() == null) {
                write(ctx, 404, noRoute(ctx));
            }
        });
    }

    /** 408 when Jetty gave up on a request body (minimum data rate, read timeout); 0 for anything else. */
    private static int tooSlow(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof org.eclipse.jetty.http.BadMessageException bad && bad.getCode() == 408
                    || t instanceof java.util.concurrent.TimeoutException) {
                return 408;
            }
        }
        return 0;
    }

    /** The problem+json body for a status and detail (also stored as an idempotent replay). */
    public static String body(int status, String detail) {
        HttpStatus known = HttpStatus.forStatus(status);
        String title = known == HttpStatus.UNKNOWN ? "Error" : known.getMessage();
        try {
            return JSON.writeValueAsString(new Problem("about:blank", title, status, detail));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a Problem record always serializes", e);
        }
    }

    static void write(Context ctx, int status, String detail) {
        if (ctx.res().isCommitted()) {
            return; // a streamed download already started; the client sees a short body instead
        }
        if (status == 401) {
            ctx.header("WWW-Authenticate", "Bearer");
        }
        HttpStatus known = HttpStatus.forStatus(status);
        String title = known == HttpStatus.UNKNOWN ? "Error" : known.getMessage();
        try {
            ctx.status(status)
                    .contentType(CONTENT_TYPE)
                    .result(JSON.writeValueAsString(new Problem("about:blank", title, status, detail)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a Problem record always serializes", e);
        }
    }

    private static String javalinDetail(Context ctx, HttpResponseException e) {
        return switch (e.getStatus()) {
            case 404 -> noRoute(ctx);
            case 413 -> "the request body is too large for a JSON request; JSON bodies are limited to 1 MB "
                    + "(artifacts go to POST /api/artifacts as a raw body, which has no such limit)";
            default -> e.getMessage();
        };
    }

    private static String noRoute(Context ctx) {
        return "no endpoint " + ctx.method() + " " + ctx.path() + "; the API lives under /api/artifacts, "
                + "/api/releases, /api/robots, /api/fleets, /api/deployments and /api/agent/deployments";
    }
}
