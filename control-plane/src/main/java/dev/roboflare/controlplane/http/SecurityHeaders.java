package dev.roboflare.controlplane.http;

import io.javalin.Javalin;

/**
 * Headers on every response: no content sniffing (a problem+json detail or a download is never run as HTML or
 * script), and HSTS when browsers reach the server over HTTPS (its own TLS, or an https --public-url in front).
 */
public final class SecurityHeaders {
    static final String HSTS = "max-age=31536000";

    private SecurityHeaders() {
    }

    public static void register(Javalin app, boolean https) {
        app.before(ctx -> {
            ctx.header("X-Content-Type-Options", "nosniff");
            if (https) {
                ctx.header("Strict-Transport-Security", HSTS);
            }
        });
    }
}
