package dev.roboflare.controlplane.release;

import java.util.regex.Pattern;

/** SemVer 2.0.0 validity (the grammar from semver.org), including pre-release and build metadata. */
final class SemVer {
    private static final Pattern GRAMMAR = Pattern.compile(
            "^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)"
                    + "(?:-((?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
                    + "(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?$");

    private SemVer() {
    }

    static boolean isValid(String version) {
        return version != null && version.length() <= 255 && GRAMMAR.matcher(version).matches();
    }

    /** A hint for the most common mistakes, appended to the 400 detail. */
    static String hint(String version) {
        if (version.startsWith("v") || version.startsWith("V")) {
            return "; drop the leading 'v' (use '" + version.substring(1) + "')";
        }
        if (version.chars().filter(ch -> ch == '.').count() < 2) {
            return "; it needs MAJOR.MINOR.PATCH, e.g. 1.4.0";
        }
        return "; e.g. 1.4.0, 1.4.0-rc.1 or 1.4.0+build.7 (no leading zeros, no empty parts)";
    }
}
