package dev.roboflare.controlplane;

import dev.roboflare.controlplane.api.HttpApi;
import dev.roboflare.controlplane.api.IdempotentDeployments;
import dev.roboflare.controlplane.artifacts.ArtifactCatalog;
import dev.roboflare.controlplane.artifacts.ArtifactStore;
import dev.roboflare.controlplane.artifacts.LocalArtifactStore;
import dev.roboflare.controlplane.artifacts.S3ArtifactStore;
import dev.roboflare.controlplane.chunks.ChunkIndexer;
import dev.roboflare.controlplane.chunks.ChunkStore;
import dev.roboflare.controlplane.auth.DownloadSigner;
import dev.roboflare.controlplane.auth.OperatorToken;
import dev.roboflare.controlplane.deploy.DeploymentCanceller;
import dev.roboflare.controlplane.deploy.DeploymentCreator;
import dev.roboflare.controlplane.deploy.DeploymentViews;
import dev.roboflare.controlplane.deploy.DispatchedWork;
import dev.roboflare.controlplane.deploy.Dispatcher;
import dev.roboflare.controlplane.deploy.RobotReports;
import dev.roboflare.controlplane.fleet.FleetRegistry;
import dev.roboflare.controlplane.fleet.RobotRegistry;
import dev.roboflare.controlplane.http.RequestBodyGate;
import dev.roboflare.controlplane.http.ServerLimits;
import dev.roboflare.controlplane.release.ReleasePublisher;
import dev.roboflare.controlplane.idempotency.IdempotentRequests;
import dev.roboflare.controlplane.metrics.ControlPlaneMetrics;
import dev.roboflare.controlplane.metrics.MetricsEndpoint;
import dev.roboflare.controlplane.scheduler.DispatchScheduler;
import dev.roboflare.controlplane.storage.Database;
import dev.roboflare.controlplane.storage.Transactor;
import dev.roboflare.controlplane.trust.OperatorTokens;
import dev.roboflare.controlplane.trust.Organisations;
import dev.roboflare.controlplane.trust.ReleaseSignatures;
import dev.roboflare.controlplane.trust.RobotTokenRotation;
import dev.roboflare.controlplane.ui.StatusPage;
import dev.roboflare.controlplane.ui.StatusReads;
import dev.roboflare.controlplane.ui.UiActions;
import io.javalin.Javalin;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running control plane: wires storage, services, HTTP and the scheduler, and stops them in reverse. */
public final class ControlPlane implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ControlPlane.class);

    private final Database database;
    private final Javalin app;
    private final DispatchScheduler scheduler;

    private final ArtifactStore store;
    private final List<String> routes;
    private final ControlPlaneMetrics metrics;
    private final MetricsEndpoint metricsEndpoint;

    private ControlPlane(Database database, Javalin app, DispatchScheduler scheduler, ArtifactStore store,
                         List<String> routes, ControlPlaneMetrics metrics, MetricsEndpoint metricsEndpoint) {
        this.database = database;
        this.app = app;
        this.scheduler = scheduler;
        this.store = store;
        this.routes = routes;
        this.metrics = metrics;
        this.metricsEndpoint = metricsEndpoint;
    }

    /** Where serve --metrics-port serves GET /metrics; port 0 picks a free one. */
    public record MetricsOptions(String bind, int port) {
    }

    private static ArtifactStore artifactStore(ServerConfig config) throws IOException {
        Path local = config.dataDir().resolve("artifacts");
        if (config.s3() == null) {
            return new LocalArtifactStore(local);
        }
        S3ArtifactStore s3 = new S3ArtifactStore(config.s3(), local.resolve("incoming"), config.downloadUrlTtl());
        s3.checkBucket();
        return s3;
    }

    public static ControlPlane start(ServerConfig config) {
        return start(config, null);
    }

    /** {@code metricsOptions} null: metrics are still kept (see {@link #metricsText()}) but not served. */
    public static ControlPlane start(ServerConfig config, MetricsOptions metricsOptions) {
        ControlPlaneMetrics metrics = new ControlPlaneMetrics(); // first: the database pool registers its gauges
        // Before anything else listens: a taken --metrics-port fails the start with its own message.
        MetricsEndpoint endpoint = metricsOptions == null ? null
                : MetricsEndpoint.start(metrics, metricsOptions.bind(), metricsOptions.port());
        try {
            DataDir.prepare(config.dataDir());
            // Microseconds: what the database keeps, so a freshly created row reads back identical.
            Clock clock = Clock.tick(Clock.systemUTC(), Duration.of(1, ChronoUnit.MICROS));
            OperatorToken operatorToken = OperatorToken.loadOrCreate(config.dataDir());
            DownloadSigner signer = DownloadSigner.loadOrCreate(config.dataDir());
            ArtifactStore store = artifactStore(config);
            Database database = config.databaseUrl() == null
                    ? Database.openSqlite(config.dataDir().resolve("roboflare.db"))
                    : Database.open(config.databaseUrl(), config.databaseUser(), config.databasePassword());
            Transactor db = new Transactor(database.dataSource(), database.dialect());
            RobotRegistry robots = new RobotRegistry(db, clock);
            DeploymentViews views = new DeploymentViews(db, robots::flushPresence);
            IdempotentRequests idempotency = new IdempotentRequests(db, clock, config.idempotencyKeyTtl());
            DeploymentCanceller canceller = new DeploymentCanceller(db, clock, views);
            IdempotentDeployments deployments = new IdempotentDeployments(new DeploymentCreator(db, clock), idempotency);
            OperatorTokens operatorTokens = new OperatorTokens(db, clock, operatorToken);
            ChunkStore chunks = new ChunkStore(store);
            Services services = new Services(signer, store,
                    new ArtifactCatalog(store, db, clock, config.maxArtifactSize(), new ChunkIndexer(chunks)),
                    new ReleasePublisher(db, clock), robots, new FleetRegistry(db, clock), deployments, canceller,
                    views, new DispatchedWork(db), new RobotReports(db, clock),
                    new ReleaseSignatures(db, clock, chunks), new RobotTokenRotation(db, clock), operatorTokens,
                    new Organisations(db, clock));
            List<String> routes = new java.util.concurrent.CopyOnWriteArrayList<>();
            Javalin app = HttpApi.create(services, config.publicUrl(), config.downloadUrlTtl(),
                    config.agentPollInterval(), config.httpsForBrowsers(), clock, c -> {
                ServerLimits.apply(c, config.tls(), config.bind(), config.port(), new RequestBodyGate());
                c.events.handlerAdded(h -> routes.add(h.getHttpMethod() + " " + h.getPath()));
                c.requestLogger.http(metrics::request);
            });
            new StatusPage(operatorTokens, new StatusReads(db, robots::flushPresence),
                    new UiActions(deployments, canceller), clock, config.httpsForBrowsers()).register(app);
            app.start(config.bind(), config.port());
            DispatchScheduler scheduler = new DispatchScheduler(new Dispatcher(db, clock), idempotency,
                    config.schedulerInterval());
            scheduler.start();
            metrics.artifactStoreBytes(() -> db.read(c -> {
                try (var s = c.createStatement(); var rs = s.executeQuery("SELECT COALESCE(SUM(size_bytes), 0) FROM "
                        + "(SELECT DISTINCT sha256, size_bytes FROM artifacts) stored")) {
                    rs.next();
                    return rs.getLong(1);
                }
            }));
            if (endpoint != null) {
                log.info("metrics in Prometheus text on http://{}:{}/metrics", metricsOptions.bind(), endpoint.port());
            }
            log.info("control plane listening on {}://{}:{} (data dir {}, artifacts in {}, download URLs {})",
                    config.tls() == null ? "http" : "https", config.bind(), app.port(), config.dataDir().toAbsolutePath().normalize(), store,
                    store instanceof S3ArtifactStore ? "presigned by S3"
                            : config.publicUrl() == null ? "from each request's Host header"
                            : "under " + config.publicUrl());
            if (config.publicUrl() == null && !(store instanceof S3ArtifactStore) && !isLoopback(config.bind())) {
                log.warn("no --public-url: download URLs are built from each request's Host header, which any "
                        + "client on {} can set; give --public-url with the address robots use", config.bind());
            }
            return new ControlPlane(database, app, scheduler, store, List.copyOf(routes), metrics, endpoint);
        } catch (IOException e) {
            if (endpoint != null) {
                endpoint.close();
            }
            metrics.close();
            throw new UncheckedIOException("cannot prepare data dir " + config.dataDir().toAbsolutePath().normalize(), e);
        }
    }

    private static boolean isLoopback(String bind) {
        try {
            return java.net.InetAddress.getByName(bind).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    public int port() {
        return app.port();
    }

    /**
     * Every HTTP route as registered ("GET /api/robots/{id}", before-handlers included), so a test can check that
     * each one keeps organisations and robots apart, including routes added after that test was written.
     */
    public List<String> routes() {
        return routes;
    }

    /** The port of GET /metrics; -1 when not served. */
    public int metricsPort() {
        return metricsEndpoint == null ? -1 : metricsEndpoint.port();
    }

    /** What GET /metrics would answer now. */
    public String metricsText() {
        return metrics.scrape();
    }

    @Override
    public void close() {
        if (metricsEndpoint != null) {
            metricsEndpoint.close();
        }
        scheduler.close();
        app.stop();
        database.close();
        if (store instanceof S3ArtifactStore s3) {
            s3.close();
        }
        metrics.close();
        log.info("control plane stopped");
    }
}
