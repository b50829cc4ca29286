package dev.roboflare.planner.stack;

import java.util.List;

/**
 * Where a stack's internal builds are published (seeds, "Where to find published releases"), and the
 * CloudFront paths to invalidate after a build (seeds, "CloudFront invalidation").
 */
public record ChannelHost(Platform platform, String host, String appDir, String robotDir) {

    public static ChannelHost internal(Platform platform) {
        return switch (platform) {
            case FLEX -> new ChannelHost(platform, "ot3-development.builds.opentrons.com", "app", "ot3-oe");
            case OT2 -> new ChannelHost(platform, "ot2-development.builds.opentrons.com", "app", "ot2-br");
        };
    }

    public ChannelHost withHost(String otherHost) {
        return new ChannelHost(platform, otherHost, appDir, robotDir);
    }

    public String baseUrl() {
        return "https://" + host;
    }

    /** {@code /app/*} and {@code /ot3-oe/*} (Flex) or {@code /ot2-br/*} (OT-2). */
    public List<String> invalidationPaths() {
        return List.of("/" + appDir + "/*", "/" + robotDir + "/*");
    }

    /** The electron-updater channel files the desktop app reads, in the seeds' order. */
    public static final List<String> UPDATER_YAMLS = List.of(
            "alpha.yml", "alpha-mac.yml", "alpha-linux.yml",
            "beta.yml", "beta-mac.yml", "beta-linux.yml",
            "latest.yml", "latest-mac.yml", "latest-linux.yml");
}
