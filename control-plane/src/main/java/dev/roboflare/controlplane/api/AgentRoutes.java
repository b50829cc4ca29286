package dev.roboflare.controlplane.api;

import dev.roboflare.protocol.ApiRoutes;
import dev.roboflare.controlplane.deploy.DispatchedWork;
import dev.roboflare.controlplane.deploy.RobotReports;
import dev.roboflare.controlplane.fleet.RobotRegistry;
import dev.roboflare.protocol.AgentApi;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.Duration;

/** The robot-facing API: poll for dispatched work, report outcomes. A robot only ever sees its own deployments. */
final class AgentRoutes {
    /** Sent by the agent with each poll (agent/.../client/ClockSkew and metrics/AgentMetrics). */
    static final String CLOCK_SKEW_HEADER = "Roboflare-Clock-Skew-Ms";
    static final String METRICS_HEADER = "Roboflare-Agent-Metrics";
    private static final String EVENT_EXAMPLE = "{\"event_id\": \"<uuid>\", \"status\": \"applied\", \"detail\": \"...\"}";

    private final DispatchedWork work;
    private final RobotReports reports;
    private final DownloadLinks links;
    private final RobotRegistry robots;
    /** {@code serve --agent-poll-interval} in whole seconds; null: agents keep their own interval. */
    private final Integer pollIntervalSeconds;

    AgentRoutes(DispatchedWork work, RobotReports reports, DownloadLinks links, RobotRegistry robots,
                Duration pollInterval) {
        this.work = work;
        this.reports = reports;
        this.links = links;
        this.robots = robots;
        this.pollIntervalSeconds = pollInterval == null ? null : (int) Math.max(1, pollInterval.toSeconds());
    }

    void register(Javalin app, RobotAuth robot) {
        app.get(ApiRoutes.AGENT_DEPLOYMENTS, robot.require(this::poll));
        app.post(ApiRoutes.AGENT_EVENTS, robot.require(this::report));
    }

    private void poll(Context ctx, String robotId) {
        robots.recordAgentReport(robotId, ctx.header(CLOCK_SKEW_HEADER), ctx.header(METRICS_HEADER));
        robots.recordProgress(robotId, ctx.header(AgentApi.PROGRESS_HEADER), ctx.header(AgentApi.WAITING_HEADER));
        ctx.json(new AgentApi.Poll(work.forRobot(robotId, artifact -> links.urlFor(ctx, artifact),
                artifact -> links.chunksUrlFor(ctx, artifact)),
                pollIntervalSeconds));
    }

    private void report(Context ctx, String robotId) {
        AgentApi.Event event = JsonBodies.read(ctx, AgentApi.Event.class, EVENT_EXAMPLE);
        RobotReports.Outcome outcome = reports.report(robotId, ctx.pathParam("id"), event);
        ctx.status(outcome.created() ? 201 : 200).json(outcome.event());
    }
}
