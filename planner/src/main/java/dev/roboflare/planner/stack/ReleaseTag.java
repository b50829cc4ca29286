package dev.roboflare.planner.stack;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An app release tag as track-builds, invalidate-cloudfront and assets take it: the platform it
 * belongs to, the version the manifests carry, and the electron-updater channel it publishes to.
 *
 * <ul>
 *   <li>{@code ot3@8.5.0-alpha.0}: Flex internal, version {@code 8.5.0-alpha.0}, channel alpha</li>
 *   <li>{@code internal@26.5.2601} / {@code internal@26.5.2601-beta}: OT-2 internal, channel latest / beta</li>
 *   <li>{@code v8.5.0}, {@code v26.5.0}: external; the platform cannot be told from the name, so --path is needed</li>
 * </ul>
 */
public record ReleaseTag(String name, Platform platform, boolean internal, String version, String updaterChannel) {
    private static final Pattern TAG = Pattern.compile("^(ot3@|internal@|v)(\\d+\\.\\d+\\.\\d+)(?:-([0-9A-Za-z.-]+))?$");

    /** Parses {@code tag}; {@code given} (--path) wins over the prefix. Empty platform and no --path: an error message. */
    public static ReleaseTag parse(String tag, Optional<Platform> given) {
        String trimmed = tag.trim();
        Matcher m = TAG.matcher(trimmed);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + tag + "' is not an app release tag (ot3@X.Y.Z[-alpha.N] for Flex,"
                    + " internal@YY.M.DNN[-alpha|-beta] for OT-2, or vX.Y.Z[-...] with --path)");
        }
        String prefix = m.group(1);
        Optional<Platform> inferred = switch (prefix) {
            case "ot3@" -> Optional.of(Platform.FLEX);
            case "internal@" -> Optional.of(Platform.OT2);
            default -> Optional.empty();
        };
        Platform platform = given.or(() -> inferred).orElseThrow(() -> new IllegalArgumentException(
                "Cannot tell the stack from '" + tag + "': pass --path flex|ot2"));
        String version = trimmed.substring(prefix.length());
        String pre = m.group(3);
        String channel = "latest";
        if (pre != null) {
            String label = pre.split("\\.", 2)[0].toLowerCase(Locale.ROOT);
            channel = label.equals("beta") ? "beta" : "alpha";
        }
        return new ReleaseTag(trimmed, platform, !prefix.equals("v"), version, channel);
    }

    /** Prefix and platform disagree (e.g. --path ot2 with ot3@...): worth a warning, not an error. */
    public Optional<String> mismatch() {
        if (name.startsWith("ot3@") && platform != Platform.FLEX) {
            return Optional.of(name + " looks like a Flex app tag, but --path is " + platform.cliName());
        }
        if (name.startsWith("internal@") && platform != Platform.OT2) {
            return Optional.of(name + " looks like an OT-2 app tag (Flex app tags are ot3@...), but --path is "
                    + platform.cliName());
        }
        return Optional.empty();
    }
}
