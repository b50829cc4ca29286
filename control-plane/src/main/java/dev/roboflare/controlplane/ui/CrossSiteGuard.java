package dev.roboflare.controlplane.ui;

import dev.roboflare.controlplane.RequestRejected;
import dev.roboflare.controlplane.api.AuthFailures;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.net.URI;
import java.util.Locale;

/**
 * Refuses a state-changing /ui request (any method but GET and HEAD, and {@code GET /ui/login?token=}, which logs in
 * too) that a browser says comes from another site:
 * {@code Sec-Fetch-Site} other than same-origin or none, or (from a browser that does not send Sec-Fetch-Site) an
 * {@code Origin} whose host and port are not the ones the request was sent to. Without it another site could post its own operator token to /ui/login and have the victim's
 * browser logged in as the attacker (login CSRF), or press the page's buttons. Clients that are not browsers send
 * neither header and pass; browsers send at least Origin on every POST.
 */
final class CrossSiteGuard {
    private CrossSiteGuard() {
    }

    static void register(Javalin app) {
        app.before("/ui/*", CrossSiteGuard::check);
    }

    private static void check(Context ctx) {
        boolean tokenInUrl = ctx.path().equals("/ui/login") && ctx.queryParam("token") != null;
        if ((ctx.method() == HandlerType.GET || ctx.method() == HandlerType.HEAD) && !tokenInUrl) {
            return;
        }
        // Sec-Fetch-Site, when the browser sends it, decides: it cannot be set by a page, and a page served with
        // Referrer-Policy: no-referrer (ours) makes Chromium send "Origin: null" on its own same-origin form posts.
        String site = ctx.header("Sec-Fetch-Site");
        if (site != null) {
            if (!site.equals("same-origin") && !site.equals("none")) {
                refuse(ctx, "Sec-Fetch-Site: " + site);
            }
            return;
        }
        String origin = ctx.header("Origin");
        if (origin != null && !sameHost(origin, ctx.header("Host"))) {
            refuse(ctx, "Origin " + origin);
        }
    }

    private static boolean sameHost(String origin, String host) {
        if (host == null || origin.equals("null")) {
            return false;
        }
        try {
            URI o = URI.create(origin);
            if (o.getHost() == null) {
                return false;
            }
            int port = o.getPort() != -1 ? o.getPort() : "https".equalsIgnoreCase(o.getScheme()) ? 443 : 80;
            URI h = URI.create("//" + host);
            int hostPort = h.getPort() != -1 ? h.getPort() : port; // a default port is left out of Host
            return o.getHost().toLowerCase(Locale.ROOT).equals(String.valueOf(h.getHost()).toLowerCase(Locale.ROOT))
                    && port == hostPort;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static void refuse(Context ctx, String why) {
        AuthFailures.record(ctx, "cross-site /ui request (" + why + ")");
        throw new RequestRejected(403, "this request came from another site (" + why + "); the status page only "
                + "takes its own forms, sent from " + ctx.scheme() + "://" + ctx.header("Host") + "/ui");
    }
}
