package dev.roboflare.controlplane;

import dev.roboflare.controlplane.artifacts.S3StoreConfig;
import dev.roboflare.controlplane.trust.TlsConfig;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Everything {@code serve} needs. {@code publicUrl} may be null: download URLs are then built from the
 * request's Host header. {@code databaseUrl} null means SQLite in the data dir; user and password may be null
 * (then they come from the URL, if at all). {@code s3} null means artifacts live in the data dir. {@code tls} null means plain
 * HTTP (run behind a TLS-terminating reverse proxy then; see the README).
 */
public record ServerConfig(int port, Path dataDir, String bind, String publicUrl,
                           Duration schedulerInterval, Duration downloadUrlTtl,
                           String databaseUrl, String databaseUser, String databasePassword,
                           Duration idempotencyKeyTtl, S3StoreConfig s3, TlsConfig tls) {
    public static final Duration DEFAULT_SCHEDULER_INTERVAL = Duration.ofSeconds(15);
    public static final Duration DEFAULT_DOWNLOAD_URL_TTL = Duration.ofHours(1);
    public static final Duration DEFAULT_IDEMPOTENCY_KEY_TTL = Duration.ofHours(24);

    /** Plain HTTP (or behind a TLS-terminating reverse proxy). */
    public ServerConfig(int port, Path dataDir, String bind, String publicUrl, Duration schedulerInterval,
                        Duration downloadUrlTtl, String databaseUrl, String databaseUser, String databasePassword,
                        Duration idempotencyKeyTtl, S3StoreConfig s3) {
        this(port, dataDir, bind, publicUrl, schedulerInterval, downloadUrlTtl, databaseUrl, databaseUser,
                databasePassword, idempotencyKeyTtl, s3, null);
    }

    /** Artifacts in the data dir. */
    public ServerConfig(int port, Path dataDir, String bind, String publicUrl, Duration schedulerInterval,
                        Duration downloadUrlTtl, String databaseUrl, String databaseUser, String databasePassword,
                        Duration idempotencyKeyTtl) {
        this(port, dataDir, bind, publicUrl, schedulerInterval, downloadUrlTtl, databaseUrl, databaseUser,
                databasePassword, idempotencyKeyTtl, null, null);
    }

    /** SQLite in the data dir, default key expiry. */
    public ServerConfig(int port, Path dataDir, String bind, String publicUrl, Duration schedulerInterval,
                        Duration downloadUrlTtl) {
        this(port, dataDir, bind, publicUrl, schedulerInterval, downloadUrlTtl, null, null, null,
                DEFAULT_IDEMPOTENCY_KEY_TTL, null, null);
    }
}
