package dev.roboflare.controlplane.api;

import dev.roboflare.controlplane.RequestRejected;
import dev.roboflare.controlplane.trust.OperatorTokens;
import dev.roboflare.controlplane.trust.OperatorTokens.Grant;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;

/**
 * Wraps operator handlers: without an operator token nothing runs, and a handler gets the caller's {@link Grant},
 * whose organisation is the only one whose rows it may touch. DATA/operator-token is the admin of 'default';
 * tokens made with POST /api/operator-tokens act in one organisation and may be read-only (GET only, else 403).
 */
final class OperatorAuth {
    @FunctionalInterface
    interface OperatorHandler {
        void handle(Context ctx, Grant caller) throws Exception;
    }

    private final OperatorTokens tokens;

    OperatorAuth(OperatorTokens tokens) {
        this.tokens = tokens;
    }

    Handler require(OperatorHandler handler) {
        return ctx -> {
            Grant grant = authenticate(ctx);
            if (grant.readOnly() && ctx.method() != HandlerType.GET && ctx.method() != HandlerType.HEAD) {
                throw new RequestRejected(403, "operator token '" + grant.name() + "' is read-only; "
                        + ctx.method() + " needs a read-write token of organisation " + grant.org());
            }
            handler.handle(ctx, grant);
        };
    }

    /** Organisations and operator tokens: only DATA/operator-token may manage them. */
    Handler requireAdmin(OperatorHandler handler) {
        return ctx -> {
            Grant grant = authenticate(ctx);
            if (!grant.admin()) {
                throw new RequestRejected(403, "operator token '" + grant.name() + "' may not manage organisations "
                        + "or operator tokens; use the admin token from the control plane's data dir, file "
                        + "operator-token");
            }
            handler.handle(ctx, grant);
        };
    }

    private Grant authenticate(Context ctx) {
        String token = Bearer.token(ctx);
        if (token == null) {
            AuthFailures.record(ctx, "no operator token");
            throw new RequestRejected(401, "missing 'Authorization: Bearer <operator token>' header; the token "
                    + "is in the control plane's data dir, file operator-token");
        }
        return tokens.authenticate(token).orElseThrow(() -> refused(ctx));
    }

    private static RequestRejected refused(Context ctx) {
        AuthFailures.record(ctx, "unknown or revoked operator token");
        return new RequestRejected(401, "the bearer token is not the "
                + "operator token nor a live one from POST /api/operator-tokens (it may have been revoked); copy it "
                + "from the file operator-token in the control plane's data dir, or ask its admin for a new one "
                + "(robot tokens only work on /api/agent)");
    }
}
