package dev.roboflare.controlplane.api;

import dev.roboflare.controlplane.RequestRejected;
import dev.roboflare.controlplane.auth.OperatorToken;
import dev.roboflare.controlplane.trust.OperatorTokens;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.util.Optional;

/**
 * Wraps operator handlers: without an operator token nothing runs. DATA/operator-token has full access; tokens made
 * with POST /api/operator-tokens may be read-only (GET only, else 403). Each request carries its token's
 * idempotency scope (a hash of the token) as the {@link #SCOPE} attribute.
 */
final class OperatorAuth {
    static final String SCOPE = "roboflare.idempotency-scope";

    private final OperatorToken operatorToken;
    private final OperatorTokens extraTokens;

    OperatorAuth(OperatorToken operatorToken) {
        this(operatorToken, null);
    }

    OperatorAuth(OperatorToken operatorToken, OperatorTokens extraTokens) {
        this.operatorToken = operatorToken;
        this.extraTokens = extraTokens;
    }

    Handler require(Handler handler) {
        return ctx -> {
            String token = Bearer.token(ctx);
            if (token == null) {
                throw new RequestRejected(401, "missing 'Authorization: Bearer <operator token>' header; the token "
                        + "is in the control plane's data dir, file operator-token");
            }
            if (operatorToken.matches(token)) {
                ctx.attribute(SCOPE, operatorToken.scope());
                handler.handle(ctx);
                return;
            }
            Optional<OperatorTokens.Grant> grant = extraTokens == null ? Optional.empty()
                    : extraTokens.authenticate(token);
            if (grant.isEmpty()) {
                throw new RequestRejected(401, "the bearer token is not the operator token (nor one from POST /api/operator-tokens); copy it from the file "
                        + "operator-token in the control plane's data dir (robot tokens only work on /api/agent)");
            }
            if (grant.get().readOnly() && ctx.method() != HandlerType.GET && ctx.method() != HandlerType.HEAD) {
                throw new RequestRejected(403, "operator token '" + grant.get().name() + "' is read-only; "
                        + ctx.method() + " needs a full-access token");
            }
            ctx.attribute(SCOPE, grant.get().idempotencyScope());
            handler.handle(ctx);
        };
    }
}
