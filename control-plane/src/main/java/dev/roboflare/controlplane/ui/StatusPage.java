package dev.roboflare.controlplane.ui;

import dev.roboflare.controlplane.api.HttpApi;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.Locale;

/**
 * The read-only fleet status page at {@code /ui}, behind the operator token:
 * <ul>
 * <li>{@code GET /ui/login} shows a form; {@code POST /ui/login} (form field {@code token}) or
 * {@code GET /ui/login?token=...} checks the operator token, sets an HttpOnly, SameSite=Strict session cookie
 * (not the token itself) scoped to /ui, and redirects to {@code /ui};</li>
 * <li>{@code GET /ui} renders the page for a session cookie or an {@code Authorization: Bearer} operator token,
 * and redirects to the login form otherwise;</li>
 * <li>{@code POST /ui/logout} ends the session.</li>
 * </ul>
 */
public final class StatusPage {
    static final String COOKIE = "roboflare_ui";

    private final HttpApi.Services services;
    private final Clock clock;
    private final UiSessions sessions;

    public StatusPage(HttpApi.Services services, Clock clock) {
        this.services = services;
        this.clock = clock;
        this.sessions = new UiSessions(clock);
    }

    public void register(Javalin app) {
        app.get("/ui", this::page);
        app.get("/ui/", ctx -> ctx.redirect("/ui", io.javalin.http.HttpStatus.SEE_OTHER));
        app.get("/ui/login", ctx -> {
            String token = ctx.queryParam("token");
            if (token == null) {
                html(ctx, 200, StatusHtml.loginForm(null));
            } else {
                logIn(ctx, token);
            }
        });
        app.post("/ui/login", ctx -> logIn(ctx, ctx.formParam("token")));
        app.post("/ui/logout", ctx -> {
            sessions.close(ctx.cookie(COOKIE));
            ctx.header("Set-Cookie", COOKIE + "=; Path=/ui; HttpOnly; SameSite=Strict; Max-Age=0");
            ctx.redirect("/ui/login", io.javalin.http.HttpStatus.SEE_OTHER);
        });
    }

    private void page(Context ctx) {
        if (!sessions.isValid(ctx.cookie(COOKIE)) && !services.operatorToken().matches(bearer(ctx))) {
            ctx.redirect("/ui/login", io.javalin.http.HttpStatus.SEE_OTHER);
            return;
        }
        html(ctx, 200, StatusHtml.render(StatusSnapshot.read(services, clock.instant())));
    }

    private void logIn(Context ctx, String token) {
        if (token == null || !services.operatorToken().matches(token.strip())) {
            html(ctx, 401, StatusHtml.loginForm("That is not the operator token."));
            return;
        }
        ctx.header("Set-Cookie", COOKIE + "=" + sessions.open() + "; Path=/ui; HttpOnly; SameSite=Strict; Max-Age="
                + UiSessions.LIFETIME.toSeconds());
        ctx.redirect("/ui", io.javalin.http.HttpStatus.SEE_OTHER);
    }

    private static void html(Context ctx, int status, String body) {
        ctx.status(status).contentType("text/html; charset=utf-8").header("Cache-Control", "no-store")
                .header("X-Frame-Options", "DENY").header("Referrer-Policy", "no-referrer")
                .header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'")
                .result(body);
    }

    private static String bearer(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null || !header.toLowerCase(Locale.ROOT).startsWith("bearer ")) {
            return null;
        }
        return header.substring("bearer ".length()).trim();
    }
}
