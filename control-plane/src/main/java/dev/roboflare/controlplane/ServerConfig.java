package dev.roboflare.controlplane;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Everything {@code serve} needs. {@code publicUrl} may be null: download URLs are then built from the
 * request's Host header.
 */
public record ServerConfig(int port, Path dataDir, String bind, String publicUrl,
                           Duration schedulerInterval, Duration downloadUrlTtl) {
    public static final Duration DEFAULT_SCHEDULER_INTERVAL = Duration.ofSeconds(15);
    public static final Duration DEFAULT_DOWNLOAD_URL_TTL = Duration.ofHours(1);
}
