package dev.roboflare.controlplane.api;

import dev.roboflare.controlplane.artifacts.ArtifactCatalog;
import dev.roboflare.controlplane.artifacts.ArtifactStore;
import dev.roboflare.controlplane.auth.DownloadSigner;
import dev.roboflare.controlplane.chunks.ChunkStore;
import dev.roboflare.controlplane.deploy.DeploymentCanceller;
import dev.roboflare.controlplane.deploy.DeploymentCreator;
import dev.roboflare.controlplane.deploy.DeploymentViews;
import dev.roboflare.controlplane.deploy.DispatchedWork;
import dev.roboflare.controlplane.deploy.RobotReports;
import dev.roboflare.controlplane.fleet.FleetRegistry;
import dev.roboflare.controlplane.fleet.RobotRegistry;
import dev.roboflare.controlplane.http.SecurityHeaders;
import dev.roboflare.controlplane.idempotency.IdempotentRequests;
import dev.roboflare.controlplane.release.ReleasePublisher;
import dev.roboflare.controlplane.trust.OperatorTokens;
import dev.roboflare.controlplane.trust.Organisations;
import dev.roboflare.controlplane.trust.ReleaseSignatures;
import dev.roboflare.controlplane.trust.RobotTokenRotation;
import dev.roboflare.controlplane.ui.StatusPage;
import dev.roboflare.controlplane.ui.StatusReads;
import dev.roboflare.controlplane.ui.UiActions;
import dev.roboflare.protocol.WireJson;
import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import java.time.Clock;
import java.time.Duration;

/** Builds the Javalin app: JSON via WireJson, problem+json errors, and all routes. */
public final class HttpApi {
    private HttpApi() {
    }

    public record Services(DownloadSigner signer, ArtifactStore store,
                           ArtifactCatalog artifacts, ReleasePublisher releases, RobotRegistry robots,
                           FleetRegistry fleets, DeploymentCreator deploymentCreator,
                           DeploymentCanceller canceller, IdempotentRequests idempotency, DeploymentViews deployments,
                           DispatchedWork dispatchedWork, RobotReports reports, ReleaseSignatures signatures,
                           RobotTokenRotation robotTokens, OperatorTokens operatorTokens,
                           Organisations organisations, StatusReads statusReads) {
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
        IdempotentDeployments deployments = new IdempotentDeployments(s.deploymentCreator(), s.idempotency());
        new OperatorRoutes(s.releases(), s.robots(), s.fleets(), deployments, s.canceller(), s.deployments())
                .register(app, operator);
        new TrustRoutes(s.signatures(), s.robotTokens(), s.operatorTokens(), s.organisations()).register(app, operator);
        DownloadLinks links = new DownloadLinks(s.signer(), s.store(), publicUrl, downloadUrlTtl, clock);
        new AgentRoutes(s.dispatchedWork(), s.reports(), links, s.robots(), agentPollInterval).register(app, robot);
        new OpenApiDocument().register(app, operator);
        new StatusPage(s.operatorTokens(), s.statusReads(), new UiActions(deployments, s.canceller()), clock, https)
                .register(app);
        return app;
    }
}
