package dev.roboflare.controlplane.ui;

import dev.roboflare.protocol.Sha256;
import dev.roboflare.controlplane.api.HttpApi;
import dev.roboflare.controlplane.trust.OperatorTokens;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.Locale;
import java.util.Optional;

/**
 * The read-only fleet status page at {@code /ui}, behind the operator token:
 * <ul>
 * <li>{@code GET /ui/login} shows a form; {@code POST /ui/login} (form field {@code token}) or
 * {@code GET /ui/login?token=...} checks the operator token (any live one, read-only included), sets an HttpOnly,
 * SameSite=Strict session cookie (not the token itself) scoped to /ui, and redirects to {@code /ui};</li>
 * <li>{@code GET /ui} renders the page for a session cookie or an {@code Authorization: Bearer} operator token,
 * showing only that token's organisation, and redirects to the login form otherwise;</li>
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
        Optional<OperatorTokens.Grant> grant = sessions.tokenSha256(ctx.cookie(COOKIE))
                .flatMap(services.operatorTokens()::authenticateSha256)
                .or(() -> services.operatorTokens().authenticate(bearer(ctx)));
        if (grant.isEmpty()) {
            ctx.redirect("/ui/login", io.javalin.http.HttpStatus.SEE_OTHER);
            return;
        }
        html(ctx, 200, StatusHtml.render(StatusSnapshot.read(services, grant.get().org(), clock.instant())));
    }

    private void logIn(Context ctx, String token) {
        String candidate = token == null ? null : token.strip();
        if (services.operatorTokens().authenticate(candidate).isEmpty()) {
            html(ctx, 401, StatusHtml.loginForm("That is not a valid operator token (it may have been revoked)."));
            return;
        }
        ctx.header("Set-Cookie", COOKIE + "=" + sessions.open(Sha256.hex(candidate))
                + "; Path=/ui; HttpOnly; SameSite=Strict; Max-Age=" + UiSessions.LIFETIME.toSeconds());
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
