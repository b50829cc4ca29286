package dev.roboflare.controlplane.api;

import dev.roboflare.controlplane.trust.OperatorTokens;
import dev.roboflare.controlplane.trust.ReleaseSignatures;
import dev.roboflare.controlplane.trust.RobotTokenRotation;
import dev.roboflare.protocol.SignedStatement;
import dev.roboflare.protocol.TrustApi.CreateOperatorToken;
import dev.roboflare.protocol.TrustApi.RevokeRobotTokens;
import io.javalin.Javalin;

/** Release signatures, robot token rotation and revocation, extra operator tokens (operator API). */
final class TrustRoutes {
    private static final String SIGNATURE_EXAMPLE = "{\"statement\": \"<base64>\", \"signature\": \"<base64>\", "
            + "\"key_id\": \"...\"} (made by 'roboflare release sign')";

    private final ReleaseSignatures signatures;
    private final RobotTokenRotation robotTokens;
    private final OperatorTokens operatorTokens;

    TrustRoutes(ReleaseSignatures signatures, RobotTokenRotation robotTokens, OperatorTokens operatorTokens) {
        this.signatures = signatures;
        this.robotTokens = robotTokens;
        this.operatorTokens = operatorTokens;
    }

    void register(Javalin app, OperatorAuth operator) {
        app.post("/api/releases/{id}/signatures", operator.require(ctx -> ctx.status(201).json(signatures.add(
                ctx.pathParam("id"), JsonBodies.read(ctx, SignedStatement.class, SIGNATURE_EXAMPLE)))));
        app.get("/api/releases/{id}/signatures", operator.require(ctx ->
                ctx.json(signatures.list(ctx.pathParam("id")))));
        app.post("/api/robots/{id}/tokens", operator.require(ctx ->
                ctx.status(201).json(robotTokens.issue(ctx.pathParam("id")))));
        app.get("/api/robots/{id}/tokens", operator.require(ctx -> ctx.json(robotTokens.list(ctx.pathParam("id")))));
        app.post("/api/robots/{id}/revoke", operator.require(ctx -> ctx.json(robotTokens.revoke(ctx.pathParam("id"),
                JsonBodies.read(ctx, RevokeRobotTokens.class, "{\"token_id\": \"...\"}, or {} for every token")
                        .tokenId()))));
        app.post("/api/operator-tokens", operator.require(ctx -> ctx.status(201).json(operatorTokens.create(
                JsonBodies.read(ctx, CreateOperatorToken.class, "{\"name\": \"grafana\", \"read_only\": true}")))));
    }
}
