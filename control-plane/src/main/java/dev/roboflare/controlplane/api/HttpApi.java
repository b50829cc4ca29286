package dev.roboflare.controlplane.api;

import dev.roboflare.controlplane.Services;
import dev.roboflare.controlplane.chunks.ChunkStore;
import dev.roboflare.controlplane.http.SecurityHeaders;
import dev.roboflare.protocol.WireJson;
import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import java.time.Clock;
import java.time.Duration;

/**
 * Builds the Javalin app: JSON via WireJson, problem+json errors, and every API route; the status page (ui/) is
 * registered beside it by ControlPlane, so api/ never imports ui/.
 */
public final class HttpApi {
    private HttpApi() {
    }

    /**
     * {@code agentPollInterval} null leaves agents on their own interval; {@code https}: browsers reach us over HTTPS
     * (Secure cookie, HSTS); {@code server} adjusts the Jetty server (connector, limits).
     */
    public static Javalin create(Services s, String publicUrl, Duration downloadUrlTtl, Duration agentPollInterval,
                                 boolean https, Clock clock,
                                 java.util.function.Consumer<io.javalin.config.JavalinConfig> server) {
        Javalin app = Javalin.create(config -> {
            server.accept(config);
            config.showJavalinBanner = false;
            config.jsonMapper(new JavalinJackson(WireJson.lenient(), false));
        });
        Problems.register(app);
        SecurityHeaders.register(app, https);
        OperatorAuth operator = new OperatorAuth(s.operatorTokens());
        RobotAuth robot = new RobotAuth(s.robots());
        new ArtifactRoutes(s.artifacts(), s.store(), s.signer(), clock).register(app, operator);
        new ChunkRoutes(s.artifacts(), new ChunkStore(s.store()), s.signer(), clock).register(app, operator);
        new OperatorRoutes(s.releases(), s.robots(), s.fleets(), s.idempotentDeployments(), s.canceller(), s.deployments())
                .register(app, operator);
        new TrustRoutes(s.signatures(), s.robotTokens(), s.operatorTokens(), s.organisations()).register(app, operator);
        DownloadLinks links = new DownloadLinks(s.signer(), s.store(), publicUrl, downloadUrlTtl, clock);
        new AgentRoutes(s.dispatchedWork(), s.reports(), links, s.robots(), agentPollInterval).register(app, robot);
        new OpenApiDocument().register(app, operator);
        return app;
    }
}
