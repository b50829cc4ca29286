package dev.roboflare.controlplane.api;

import dev.roboflare.protocol.ApiRoutes;
import dev.roboflare.controlplane.trust.OperatorTokens;
import dev.roboflare.controlplane.trust.Organisations;
import dev.roboflare.controlplane.trust.ReleaseSignatures;
import dev.roboflare.controlplane.trust.RobotTokenRotation;
import dev.roboflare.protocol.SignedStatement;
import dev.roboflare.protocol.TrustApi.CreateOperatorToken;
import dev.roboflare.protocol.TrustApi.CreateOrganisation;
import dev.roboflare.protocol.TrustApi.SetQuota;
import dev.roboflare.protocol.TrustApi.RevokeRobotTokens;
import io.javalin.Javalin;

/**
 * Release signatures, robot token rotation and revocation (in the caller's organisation), and, for the admin
 * token only, organisations and extra operator tokens.
 */
final class TrustRoutes {
    private static final String SIGNATURE_EXAMPLE = "{\"statement\": \"<base64>\", \"signature\": \"<base64>\", "
            + "\"key_id\": \"...\"} (made by 'roboflare release sign')";

    private final ReleaseSignatures signatures;
    private final RobotTokenRotation robotTokens;
    private final OperatorTokens operatorTokens;
    private final Organisations organisations;

    TrustRoutes(ReleaseSignatures signatures, RobotTokenRotation robotTokens, OperatorTokens operatorTokens,
                Organisations organisations) {
        this.signatures = signatures;
        this.robotTokens = robotTokens;
        this.operatorTokens = operatorTokens;
        this.organisations = organisations;
    }

    void register(Javalin app, OperatorAuth operator) {
        app.post(ApiRoutes.RELEASE_SIGNATURES, operator.require((ctx, op) -> ctx.status(201).json(signatures.add(
                op.org(), ctx.pathParam("id"), JsonBodies.read(ctx, SignedStatement.class, SIGNATURE_EXAMPLE)))));
        app.get(ApiRoutes.RELEASE_SIGNATURES, operator.require((ctx, op) ->
                ctx.json(signatures.list(op.org(), ctx.pathParam("id")))));
        app.post(ApiRoutes.ROBOT_TOKENS, operator.require((ctx, op) ->
                ctx.status(201).json(robotTokens.issue(op.org(), ctx.pathParam("id")))));
        app.get(ApiRoutes.ROBOT_TOKENS, operator.require((ctx, op) ->
                ctx.json(robotTokens.list(op.org(), ctx.pathParam("id")))));
        app.post(ApiRoutes.ROBOT_REVOKE, operator.require((ctx, op) -> ctx.json(robotTokens.revoke(op.org(),
                ctx.pathParam("id"), JsonBodies.read(ctx, RevokeRobotTokens.class,
                        "{\"token_id\": \"...\"}, or {} for every token").tokenId()))));

        app.post(ApiRoutes.ORGS, operator.requireAdmin((ctx, op) -> ctx.status(201).json(organisations.create(
                JsonBodies.read(ctx, CreateOrganisation.class, "{\"name\": \"acme-lab\"}")))));
        app.get(ApiRoutes.ORGS, operator.requireAdmin((ctx, op) -> ctx.json(organisations.list())));
        app.put(ApiRoutes.ORG_QUOTA, operator.requireAdmin((ctx, op) -> ctx.json(organisations.setQuota(
                ctx.pathParam("name"), JsonBodies.read(ctx, SetQuota.class, "{\"quota\": \"50G\"} (null: none)")))));
        app.post(ApiRoutes.OPERATOR_TOKENS, operator.requireAdmin((ctx, op) -> ctx.status(201).json(
                operatorTokens.create(JsonBodies.read(ctx, CreateOperatorToken.class,
                        "{\"name\": \"grafana\", \"org\": \"acme-lab\", \"read_only\": true}")))));
        app.get(ApiRoutes.OPERATOR_TOKENS, operator.requireAdmin((ctx, op) -> ctx.json(operatorTokens.list())));
        app.post(ApiRoutes.OPERATOR_TOKEN_REVOKE, operator.requireAdmin((ctx, op) ->
                ctx.json(operatorTokens.revoke(ctx.pathParam("token_id")))));
    }
}
