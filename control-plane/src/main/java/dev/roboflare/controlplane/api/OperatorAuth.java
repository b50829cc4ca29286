package dev.roboflare.controlplane.api;

import dev.roboflare.controlplane.RequestRejected;
import dev.roboflare.controlplane.auth.OperatorToken;
import io.javalin.http.Handler;

/** Wraps operator handlers: without the operator token nothing runs. */
final class OperatorAuth {
    private final OperatorToken operatorToken;

    OperatorAuth(OperatorToken operatorToken) {
        this.operatorToken = operatorToken;
    }

    Handler require(Handler handler) {
        return ctx -> {
            String token = Bearer.token(ctx);
            if (token == null) {
                throw new RequestRejected(401, "missing 'Authorization: Bearer <operator token>' header; the token "
                        + "is in the control plane's data dir, file operator-token");
            }
            if (!operatorToken.matches(token)) {
                throw new RequestRejected(401, "the bearer token is not the operator token; copy it from the file "
                        + "operator-token in the control plane's data dir (robot tokens only work on /api/agent)");
            }
            handler.handle(ctx);
        };
    }
}
