package dev.roboflare.controlplane;

import dev.roboflare.controlplane.artifacts.S3StoreConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run the control plane HTTP server until stopped (SIGTERM / Ctrl-C).")
final class ServeCommand implements Callable<Integer> {
    @Option(names = "--port", defaultValue = "8080", description = "TCP port (0 picks a free one). Default: ${DEFAULT-VALUE}")
    int port;

    @Option(names = "--data-dir", defaultValue = "./data",
            description = "Database, artifacts, operator token and signing key live here. Default: ${DEFAULT-VALUE}")
    Path dataDir;

    @Option(names = "--bind", defaultValue = "0.0.0.0", description = "Address to listen on. Default: ${DEFAULT-VALUE}")
    String bind;

    @Option(names = "--public-url",
            description = "Base URL robots use to reach this server, e.g. http://cp.lab:8080; "
                    + "default: taken from each request's Host header")
    String publicUrl;

    @Option(names = "--scheduler-interval", defaultValue = "15s", converter = DurationConverter.class,
            description = "How often scheduled deployments are checked for being due. Default: ${DEFAULT-VALUE}")
    Duration schedulerInterval;

    @Option(names = "--download-url-ttl", defaultValue = "1h", converter = DurationConverter.class,
            description = "How long a signed artifact download URL stays valid. Default: ${DEFAULT-VALUE}")
    Duration downloadUrlTtl;

    @Option(names = "--database-url",
            description = "JDBC URL of the database, e.g. jdbc:postgresql://db:5432/roboflare; "
                    + "default: SQLite in the data dir (roboflare.db)")
    String databaseUrl;

    @Option(names = "--database-user", description = "Database user (PostgreSQL); may also be in the URL")
    String databaseUser;

    @Option(names = "--database-password-file",
            description = "File whose first line is the database password (kept off the command line)")
    Path databasePasswordFile;

    @Option(names = "--idempotency-key-ttl", defaultValue = "24h", converter = DurationConverter.class,
            description = "How long an Idempotency-Key and its stored response are kept. Default: ${DEFAULT-VALUE}")
    Duration idempotencyKeyTtl;

    @Option(names = "--artifact-store", defaultValue = "local",
            description = "Where artifact bytes live: 'local' (DATA/artifacts) or s3://BUCKET[/PREFIX] (robots then get "
                    + "presigned GET URLs valid for --download-url-ttl). Default: ${DEFAULT-VALUE}")
    String artifactStore;

    @Option(names = "--s3-endpoint",
            description = "S3-compatible endpoint, e.g. http://minio.lab:9000; default: AWS S3 for --s3-region")
    java.net.URI s3Endpoint;

    @Option(names = "--s3-region", description = "S3 region; default: $AWS_REGION, else us-east-1")
    String s3Region;

    @Option(names = "--s3-path-style", defaultValue = "true", arity = "1",
            description = "Path-style addressing (http://host/BUCKET/key), what most S3-compatible servers want. "
                    + "Default: ${DEFAULT-VALUE}")
    boolean s3PathStyle;

    @Option(names = "--s3-access-key-id",
            description = "Access key id; default: the AWS SDK chain ($AWS_ACCESS_KEY_ID, ~/.aws/credentials, roles)")
    String s3AccessKeyId;

    @Option(names = "--s3-secret-access-key-file",
            description = "File whose first line is the secret access key (with --s3-access-key-id; "
                    + "or $ROBOFLARE_S3_SECRET_ACCESS_KEY)")
    Path s3SecretAccessKeyFile;

    @Option(names = "--tls-keystore", paramLabel = "FILE",
            description = "Serve HTTPS only, with the key and certificate chain in this PKCS#12 file "
                    + "(openssl pkcs12 -export -in fullchain.pem -inkey key.pem -out cp.p12); default: plain HTTP")
    Path tlsKeyStore;

    @Option(names = "--tls-keystore-password-file", paramLabel = "FILE",
            description = "File whose first line is the key store password (or $ROBOFLARE_TLS_KEYSTORE_PASSWORD)")
    Path tlsKeyStorePasswordFile;

    @Option(names = "--agent-poll-interval", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "Tell every agent to poll this often (e.g. 60s for a large fleet; agents add jitter and "
                    + "keep it within 1s..1h); default: each agent's own --poll-interval")
    Duration agentPollInterval;

    @Option(names = "--max-artifact-size", defaultValue = "4G", converter = ByteSizeConverter.class, paramLabel = "SIZE",
            description = "Largest artifact an upload may be (413 above it), e.g. 512M or 8G. Default: ${DEFAULT-VALUE}")
    long maxArtifactSize;

    @Option(names = "--metrics-port", paramLabel = "PORT",
            description = "Serve GET /metrics (Prometheus text) on this port (0 picks a free one); default: not served")
    Integer metricsPort;

    @Option(names = "--metrics-bind", defaultValue = "127.0.0.1", paramLabel = "ADDRESS",
            description = "Address of the metrics port; loopback unless the scraper runs elsewhere. "
                    + "Default: ${DEFAULT-VALUE}")
    String metricsBind;

    @Override
    public Integer call() throws Exception {
        String databasePassword = databasePasswordFile == null ? System.getenv("ROBOFLARE_DATABASE_PASSWORD")
                : java.nio.file.Files.readAllLines(databasePasswordFile).stream().findFirst().orElse("");
        ServerConfig config = new ServerConfig(port, dataDir, bind, publicUrl, schedulerInterval, downloadUrlTtl,
                databaseUrl, databaseUser, databasePassword, idempotencyKeyTtl, s3Config(), tlsConfig(), agentPollInterval,
                maxArtifactSize);
        ControlPlane controlPlane = ControlPlane.start(config,
                metricsPort == null ? null : new ControlPlane.MetricsOptions(metricsBind, metricsPort));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            controlPlane.close();
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
        return 0;
    }

    private dev.roboflare.controlplane.trust.TlsConfig tlsConfig() throws java.io.IOException {
        if (tlsKeyStore == null) {
            return null;
        }
        String password = tlsKeyStorePasswordFile != null
                ? java.nio.file.Files.readAllLines(tlsKeyStorePasswordFile).stream().findFirst().orElse("")
                : System.getenv().getOrDefault("ROBOFLARE_TLS_KEYSTORE_PASSWORD", "");
        try {
            return new dev.roboflare.controlplane.trust.TlsConfig(tlsKeyStore, password);
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), e.getMessage());
        }
    }

    private S3StoreConfig s3Config() throws java.io.IOException {
        if ("local".equals(artifactStore)) {
            if (s3Endpoint != null) {
                throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                        "--s3-endpoint needs --artifact-store s3://BUCKET");
            }
            return null;
        }
        String secret = null;
        if (s3AccessKeyId != null) {
            secret = s3SecretAccessKeyFile != null
                    ? java.nio.file.Files.readAllLines(s3SecretAccessKeyFile).stream().findFirst().orElse("").trim()
                    : System.getenv("ROBOFLARE_S3_SECRET_ACCESS_KEY");
            if (secret == null || secret.isBlank()) {
                throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "--s3-access-key-id "
                        + "needs --s3-secret-access-key-file or $ROBOFLARE_S3_SECRET_ACCESS_KEY");
            }
        }
        String region = s3Region != null ? s3Region : System.getenv("AWS_REGION");
        try {
            return S3StoreConfig.parse(artifactStore, s3Endpoint, region, s3PathStyle, s3AccessKeyId, secret);
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), e.getMessage());
        }
    }
}
