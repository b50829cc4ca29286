package dev.roboflare.controlplane;

import dev.roboflare.controlplane.artifacts.S3StoreConfig;
import dev.roboflare.controlplane.trust.TlsConfig;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Everything {@code serve} needs. {@code publicUrl} may be null: download URLs are then built from the
 * request's Host header. {@code databaseUrl} null means SQLite in the data dir; user and password may be null
 * (then they come from the URL, if at all). {@code s3} null means artifacts live in the data dir. {@code tls} null
 * means plain HTTP (run behind a TLS-terminating reverse proxy then; see the README). {@code agentPollInterval}
 * null leaves each agent on its own configured interval. {@code maxArtifactSize} bounds one upload (413 above it).
 */
public record ServerConfig(int port, Path dataDir, String bind, String publicUrl,
                           Duration schedulerInterval, Duration downloadUrlTtl,
                           String databaseUrl, String databaseUser, String databasePassword,
                           Duration idempotencyKeyTtl, S3StoreConfig s3, TlsConfig tls, Duration agentPollInterval,
                           long maxArtifactSize) {
    /** --max-artifact-size's default: 4 GiB. */
    public static final long DEFAULT_MAX_ARTIFACT_SIZE = 4L << 30;

    /** With the default --max-artifact-size. */
    public ServerConfig(int port, Path dataDir, String bind, String publicUrl, Duration schedulerInterval,
                        Duration downloadUrlTtl, String databaseUrl, String databaseUser, String databasePassword,
                        Duration idempotencyKeyTtl, S3StoreConfig s3, TlsConfig tls, Duration agentPollInterval) {
        this(port, dataDir, bind, publicUrl, schedulerInterval, downloadUrlTtl, databaseUrl, databaseUser,
                databasePassword, idempotencyKeyTtl, s3, tls, agentPollInterval, DEFAULT_MAX_ARTIFACT_SIZE);
    }

    /** Served over HTTPS as far as browsers are concerned: by this process, or by a proxy in front of it. */
    public boolean httpsForBrowsers() {
        return tls != null || (publicUrl != null && publicUrl.regionMatches(true, 0, "https://", 0, 8));
    }

    public static final Duration DEFAULT_SCHEDULER_INTERVAL = Duration.ofSeconds(15);
    public static final Duration DEFAULT_DOWNLOAD_URL_TTL = Duration.ofHours(1);
    public static final Duration DEFAULT_IDEMPOTENCY_KEY_TTL = Duration.ofHours(24);
}
