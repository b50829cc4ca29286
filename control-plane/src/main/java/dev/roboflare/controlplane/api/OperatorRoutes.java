package dev.roboflare.controlplane.api;

import dev.roboflare.protocol.ApiRoutes;
import dev.roboflare.controlplane.RequestRejected;
import dev.roboflare.controlplane.deploy.DeploymentCanceller;
import dev.roboflare.controlplane.deploy.DeploymentCreator;
import dev.roboflare.controlplane.idempotency.IdempotentRequests;
import dev.roboflare.controlplane.deploy.DeploymentViews;
import dev.roboflare.controlplane.fleet.FleetRegistry;
import dev.roboflare.controlplane.fleet.RobotRegistry;
import dev.roboflare.controlplane.release.ReleasePublisher;
import dev.roboflare.controlplane.trust.OperatorTokens;
import dev.roboflare.protocol.OperatorApi.CreateDeployment;
import dev.roboflare.protocol.OperatorApi.CreateFleet;
import dev.roboflare.protocol.OperatorApi.CreateRelease;
import dev.roboflare.protocol.OperatorApi.CreateRobot;
import io.javalin.Javalin;
import io.javalin.http.Context;

/** Releases, robots, fleets and deployments for operators. Artifacts are in {@link ArtifactRoutes}. */
final class OperatorRoutes {
    private static final String RELEASE_EXAMPLE = "{\"artifact_id\": \"...\", \"semver\": \"1.4.0\", "
            + "\"notes\": \"...\", \"manifest_json\": {\"entrypoint\": [\"bin/app\"]}}";
    private static final String ROBOT_EXAMPLE = "{\"name\": \"arm-03\"}";
    private static final String FLEET_EXAMPLE = "{\"name\": \"bay-2\", \"robot_ids\": [\"...\"]}";
    private static final String DEPLOYMENT_EXAMPLE = "{\"release_id\": \"...\", \"target_kind\": \"robot\", "
            + "\"target_id\": \"...\", \"scheduled_at\": \"2026-06-01T03:00:00Z\"}";

    private final ReleasePublisher releases;
    private final RobotRegistry robots;
    private final FleetRegistry fleets;
    private final IdempotentDeployments deployments;
    private final DeploymentCanceller canceller;
    private final DeploymentViews views;

    OperatorRoutes(ReleasePublisher releases, RobotRegistry robots, FleetRegistry fleets,
                   IdempotentDeployments deployments, DeploymentCanceller canceller, DeploymentViews views) {
        this.canceller = canceller;
        this.releases = releases;
        this.robots = robots;
        this.fleets = fleets;
        this.deployments = deployments;
        this.views = views;
    }

    void register(Javalin app, OperatorAuth operator) {
        app.post(ApiRoutes.RELEASES, operator.require((ctx, op) -> ctx.status(201).json(
                releases.publish(op.org(), JsonBodies.read(ctx, CreateRelease.class, RELEASE_EXAMPLE)))));
        app.get(ApiRoutes.RELEASES, operator.require((ctx, op) -> ctx.json(releases.list(op.org()))));
        app.get(ApiRoutes.RELEASE, operator.require((ctx, op) ->
                ctx.json(releases.get(op.org(), ctx.pathParam("id")))));

        app.post(ApiRoutes.ROBOTS, operator.require((ctx, op) -> ctx.status(201).json(
                robots.create(op.org(), JsonBodies.read(ctx, CreateRobot.class, ROBOT_EXAMPLE).name()))));
        app.get(ApiRoutes.ROBOTS, operator.require((ctx, op) -> ctx.json(robots.list(op.org()))));
        app.get(ApiRoutes.ROBOT, operator.require((ctx, op) -> ctx.json(robots.get(op.org(), ctx.pathParam("id")))));

        app.post(ApiRoutes.FLEETS, operator.require((ctx, op) -> ctx.status(201).json(
                fleets.create(op.org(), JsonBodies.read(ctx, CreateFleet.class, FLEET_EXAMPLE)))));
        app.get(ApiRoutes.FLEETS, operator.require((ctx, op) -> ctx.json(fleets.list(op.org()))));
        app.get(ApiRoutes.FLEET, operator.require((ctx, op) -> ctx.json(fleets.get(op.org(), ctx.pathParam("id")))));
        app.put(ApiRoutes.FLEET_ROBOT, operator.require((ctx, op) ->
                ctx.json(fleets.addRobot(op.org(), ctx.pathParam("id"), ctx.pathParam("robot_id")))));

        app.post(ApiRoutes.DEPLOYMENTS, operator.require(this::createDeployment));
        app.get(ApiRoutes.DEPLOYMENTS, operator.require(this::listDeployments));
        app.get(ApiRoutes.DEPLOYMENT, operator.require((ctx, op) ->
                ctx.json(views.get(op.org(), ctx.pathParam("id")))));
        app.post(ApiRoutes.DEPLOYMENT_CANCEL, operator.require((ctx, op) ->
                ctx.json(canceller.cancel(op.org(), ctx.pathParam("id")))));
        app.get(ApiRoutes.DEPLOYMENT_EVENTS, operator.require((ctx, op) ->
                ctx.json(views.events(op.org(), ctx.pathParam("id")))));
    }

    private void createDeployment(Context ctx, OperatorTokens.Grant op) {
        // The header is checked before the body so a client learns about it even when its body is also wrong.
        String key = DeploymentCreator.validKey(ctx.header("Idempotency-Key"));
        CreateDeployment request = JsonBodies.read(ctx, CreateDeployment.class, DEPLOYMENT_EXAMPLE);
        IdempotentRequests.Response r = deployments.create(op, key, request);
        if (r.replayed()) {
            ctx.header("Idempotent-Replayed", "true");
        }
        ctx.status(r.status()).contentType(r.status() >= 400 ? Problems.CONTENT_TYPE : "application/json")
                .result(r.body());
    }

    private void listDeployments(Context ctx, OperatorTokens.Grant op) {
        String robotId = ctx.queryParam("robot_id");
        if (robotId != null) {
            robots.get(op.org(), robotId); // 404 with a useful detail for an unknown robot (or another org's)
        }
        int limit = 100;
        String limitText = ctx.queryParam("limit");
        if (limitText != null) {
            try {
                limit = Integer.parseInt(limitText);
            } catch (NumberFormatException e) {
                throw RequestRejected.badRequest("limit must be a whole number between 1 and 1000, got '" + limitText + "'");
            }
        }
        ctx.json(views.listNewestFirst(op.org(), robotId, limit));
    }
}
