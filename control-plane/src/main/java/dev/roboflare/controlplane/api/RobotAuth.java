package dev.roboflare.controlplane.api;

import dev.roboflare.controlplane.RequestRejected;
import dev.roboflare.controlplane.fleet.RobotRegistry;
import io.javalin.http.Context;
import io.javalin.http.Handler;

/** Wraps agent handlers: the robot token decides which robot is asking, and marks it as seen. */
final class RobotAuth {
    @FunctionalInterface
    interface RobotHandler {
        void handle(Context ctx, String robotId) throws Exception;
    }

    private final RobotRegistry robots;

    RobotAuth(RobotRegistry robots) {
        this.robots = robots;
    }

    Handler require(RobotHandler handler) {
        return ctx -> {
            String token = Bearer.token(ctx);
            if (token == null) {
                AuthFailures.record(ctx, "no robot token");
                throw new RequestRejected(401, "missing 'Authorization: Bearer <robot token>' header; use the token "
                        + "returned once by POST /api/robots");
            }
            String robotId = robots.authenticate(token).orElseThrow(() -> {
                AuthFailures.record(ctx, "unknown or revoked robot token");
                return new RequestRejected(401, "unknown robot token; use the token returned by POST /api/robots "
                        + "(create a new robot if it was lost)");
            });
            handler.handle(ctx, robotId);
        };
    }
}
