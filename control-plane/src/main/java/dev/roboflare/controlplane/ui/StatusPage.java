package dev.roboflare.controlplane.ui;

import dev.roboflare.controlplane.RequestRejected;
import dev.roboflare.controlplane.api.AuthFailures;
import dev.roboflare.controlplane.api.Bearer;
import dev.roboflare.protocol.Sha256;
import dev.roboflare.controlplane.trust.OperatorTokens;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fleet status page at {@code /ui}, behind an operator token:
 * <ul>
 * <li>{@code GET /ui/login} shows a form; {@code POST /ui/login} (form field {@code token}) or
 * {@code GET /ui/login?token=...} checks the operator token (any live one, read-only included), sets an HttpOnly,
 * SameSite=Strict session cookie (not the token itself) scoped to /ui, and redirects to {@code /ui};</li>
 * <li>{@code GET /ui} renders a page of robots ({@link StatusQuery}) for a session cookie or an
 * {@code Authorization: Bearer} operator token, showing only that token's organisation, and redirects to the login
 * form otherwise; {@code GET /ui/deployments/{id}} one deployment as it applies;</li>
 * <li>{@code GET /ui/deploy} the deploy form, {@code POST /ui/deploy} and {@code POST /ui/deployments/{id}/cancel}
 * act, for a read-write token only (403 for a read-only one), with the session's CSRF token (a bearer-token
 * request needs none: a browser never adds that header on its own);</li>
 * <li>{@code POST /ui/logout} ends the session.</li>
 * </ul>
 */
public final class StatusPage {
    static final String COOKIE = "roboflare_ui";
    private static final Logger log = LoggerFactory.getLogger(StatusPage.class);

    private final OperatorTokens tokens;
    private final StatusReads reads;
    private final UiActions actions;
    private final Clock clock;
    private final UiSessions sessions;
    /** "; Secure" when browsers reach us over HTTPS, so the cookie never travels in clear text. */
    private final String secure;

    public StatusPage(OperatorTokens tokens, StatusReads reads, UiActions actions, Clock clock, boolean https) {
        this.tokens = tokens;
        this.reads = reads;
        this.actions = actions;
        this.clock = clock;
        this.sessions = new UiSessions(clock);
        this.secure = https ? "; Secure" : "";
    }

    /** The caller: their token's grant and how the page treats them. */
    private record Caller(OperatorTokens.Grant grant, Viewer viewer, String sessionCsrf) {
    }

    public void register(Javalin app) {
        CrossSiteGuard.register(app);
        app.events(e -> {
            e.serverStarted(sessions::startPurging);
            e.serverStopped(sessions::stopPurging);
        });
        app.get("/ui", ctx -> withCaller(ctx, c -> html(ctx, 200, StatusHtml.render(
                reads.page(c.grant().org(), StatusQuery.from(ctx::queryParam), clock.instant()), c.viewer()))));
        app.get("/ui/", ctx -> ctx.redirect("/ui", HttpStatus.SEE_OTHER));
        app.get("/ui/deployments/{id}", ctx -> withCaller(ctx, c -> showDeployment(ctx, c)));
        app.get("/ui/deploy", ctx -> withCaller(ctx, c -> {
            if (refusedReadOnly(ctx, c)) {
                return;
            }
            DeployForm form = DeployForm.from(ctx::queryParam);
            html(ctx, 200, form.render(reads.choices(c.grant().org(), robotOf(form)), c.viewer(), null));
        }));
        app.post("/ui/deploy", ctx -> acting(ctx, c -> deploy(ctx, c)));
        app.post("/ui/deployments/{id}/cancel", ctx -> acting(ctx, c -> cancel(ctx, c)));
        app.get("/ui/login", ctx -> {
            String token = ctx.queryParam("token");
            if (token == null) {
                html(ctx, 200, LoginPage.render(null));
            } else {
                logIn(ctx, token);
            }
        });
        app.post("/ui/login", ctx -> logIn(ctx, ctx.formParam("token")));
        app.post("/ui/logout", ctx -> {
            Optional<UiSessions.Session> session = sessions.find(ctx.cookie(COOKIE));
            if (session.isPresent() && !sameToken(session.get().csrf(), ctx.formParam("csrf"))) {
                html(ctx, 403, message("This form is out of date (its CSRF token does not match your session); "
                        + "reload the page and try again."));
                return;
            }
            sessions.close(ctx.cookie(COOKIE));
            ctx.header("Set-Cookie", COOKIE + "=; Path=/ui; HttpOnly; SameSite=Strict; Max-Age=0" + secure);
            ctx.redirect("/ui/login", HttpStatus.SEE_OTHER);
        });
    }

    @FunctionalInterface
    private interface Handler {
        void handle(Caller caller) throws Exception;
    }

    private void withCaller(Context ctx, Handler handler) throws Exception {
        Optional<Caller> caller = caller(ctx);
        if (caller.isEmpty()) {
            ctx.redirect("/ui/login", HttpStatus.SEE_OTHER);
            return;
        }
        handler.handle(caller.get());
    }

    /** A state-changing form: a read-write token, and the session's CSRF token back (unless sent with a bearer). */
    private void acting(Context ctx, Handler handler) throws Exception {
        withCaller(ctx, c -> {
            if (refusedReadOnly(ctx, c)) {
                return;
            }
            if (c.sessionCsrf() != null && !sameToken(c.sessionCsrf(), ctx.formParam("csrf"))) {
                log.warn("status page: {} {} refused: CSRF token missing or wrong (token {}, org {})", ctx.method(),
                        ctx.path(), c.grant().name(), c.grant().org());
                html(ctx, 403, message("This form is out of date or did not come from this page (its CSRF token "
                        + "does not match your session); nothing was changed. Reload the page and try again."));
                return;
            }
            handler.handle(c);
        });
    }

    private boolean refusedReadOnly(Context ctx, Caller c) {
        if (!c.grant().readOnly()) {
            return false;
        }
        html(ctx, 403, message("Operator token '" + c.grant().name() + "' is read-only: it can look, not deploy, "
                + "roll back or cancel. Log in with a read-write token of organisation " + c.grant().org() + "."));
        return true;
    }

    private Optional<Caller> caller(Context ctx) {
        Optional<UiSessions.Session> session = sessions.find(ctx.cookie(COOKIE));
        if (session.isPresent()) {
            Optional<OperatorTokens.Grant> grant = tokens.authenticateSha256(session.get().tokenSha256());
            if (grant.isPresent()) {
                OperatorTokens.Grant g = grant.get();
                return Optional.of(new Caller(g, new Viewer(g.name(), g.org(), session.get().csrf(), g.readOnly()),
                        session.get().csrf()));
            }
        }
        return tokens.authenticate(Bearer.token(ctx))
                .map(g -> new Caller(g, new Viewer(g.name(), g.org(), null, g.readOnly()), null));
    }

    private void deploy(Context ctx, Caller c) {
        DeployForm form = DeployForm.from(ctx::formParam);
        String error;
        int status;
        try {
            UiActions.Outcome o = actions.deploy(c.grant(), ctx.formParam("idempotency_key"), form.request());
            if (o.created()) {
                log.info("status page: deployment {} {} by token {} (org {})", o.deploymentId(),
                        o.replayed() ? "replayed" : "created", c.grant().name(), c.grant().org());
                ctx.redirect("/ui/deployments/" + o.deploymentId() + (o.replayed() ? "?replayed=1" : "?created=1"),
                        HttpStatus.SEE_OTHER);
                return;
            }
            error = o.detail();
            status = o.status();
        } catch (IllegalArgumentException e) {
            error = e.getMessage();
            status = 400;
        }
        html(ctx, status, form.render(reads.choices(c.grant().org(), robotOf(form)), c.viewer(), error));
    }

    private void cancel(Context ctx, Caller c) {
        String id = ctx.pathParam("id");
        try {
            actions.cancel(c.grant(), id);
        } catch (RequestRejected e) {
            html(ctx, e.status(), message(e.detail()));
            return;
        }
        log.info("status page: deployment {} cancelled by token {} (org {})", id, c.grant().name(), c.grant().org());
        ctx.redirect("/ui/deployments/" + id + "?cancelled=1", HttpStatus.SEE_OTHER);
    }

    private void showDeployment(Context ctx, Caller c) {
        Optional<StatusReads.DeploymentDetail> d = reads.deployment(c.grant().org(), ctx.pathParam("id"));
        if (d.isEmpty()) {
            html(ctx, 404, message("No deployment with id '" + ctx.pathParam("id") + "' (a fleet's per-robot "
                    + "deployments are shown on their fleet deployment's page)."));
            return;
        }
        String flash = ctx.queryParam("created") != null ? "Deployment created."
                : ctx.queryParam("replayed") != null ? "This form had been sent already: this is the deployment it "
                + "made then (same Idempotency-Key), no second one was created."
                : ctx.queryParam("cancelled") != null ? "Cancelled: robots without an outcome got failed "
                + "\"cancelled by operator\"; outcomes already reported stay." : null;
        html(ctx, 200, DeploymentHtml.render(d.get(), c.viewer(), clock.instant(), flash));
    }

    private static String robotOf(DeployForm form) {
        return form.targetKind() == dev.roboflare.protocol.TargetKind.ROBOT ? form.targetId() : null;
    }

    private void logIn(Context ctx, String token) {
        String candidate = token == null ? null : token.strip();
        if (tokens.authenticate(candidate).isEmpty()) {
            AuthFailures.record(ctx, "status page login with an unknown or revoked operator token");
            html(ctx, 401, LoginPage.render("That is not a valid operator token (it may have been revoked)."));
            return;
        }
        ctx.header("Set-Cookie", COOKIE + "=" + sessions.open(Sha256.hex(candidate))
                + "; Path=/ui; HttpOnly; SameSite=Strict; Max-Age=" + UiSessions.LIFETIME.toSeconds() + secure);
        ctx.redirect("/ui", HttpStatus.SEE_OTHER);
    }

    private static boolean sameToken(String expected, String given) {
        return given != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                given.getBytes(StandardCharsets.UTF_8));
    }

    private static String message(String text) {
        return Html.head("Roboflare fleet status", 0).append("<header><h1><a href=\"/ui\">Roboflare fleet status</a>")
                .append("</h1></header><main><div class=\"flash error\" id=\"error\">").append(Html.esc(text))
                .append("</div><p><a href=\"/ui\">back to the status page</a></p></main></body></html>").toString();
    }

    private static void html(Context ctx, int status, String body) {
        ctx.status(status).contentType("text/html; charset=utf-8").header("Cache-Control", "no-store")
                .header("X-Frame-Options", "DENY").header("Referrer-Policy", "no-referrer")
                .header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'")
                .result(body);
    }
}
