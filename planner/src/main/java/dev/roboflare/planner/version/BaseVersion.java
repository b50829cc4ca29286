package dev.roboflare.planner.version;

import dev.roboflare.planner.PlanningException;
import java.util.Comparator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The X.Y.Z a Flex release is built on, entered at the prompt, given with --version, or inferred.
 * A leading {@code v} is accepted ({@code --version v9.1.0}, as robot-stack documents it).
 */
public record BaseVersion(int major, int minor, int patch) implements Comparable<BaseVersion> {
    private static final Pattern SHAPE = Pattern.compile("v?(\\d+)\\.(\\d+)\\.(\\d+)");
    private static final Comparator<BaseVersion> ORDER = Comparator.comparingInt(BaseVersion::major)
            .thenComparingInt(BaseVersion::minor)
            .thenComparingInt(BaseVersion::patch);

    public static BaseVersion parse(String text) {
        Matcher m = SHAPE.matcher(text == null ? "" : text.trim());
        if (!m.matches()) {
            throw new PlanningException("--version must look like X.Y.Z or vX.Y.Z (for example 8.5.0 or v9.1.0), got '" + text + "'");
        }
        return new BaseVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
    }

    public BaseVersion withPatch(int newPatch) {
        return new BaseVersion(major, minor, newPatch);
    }

    boolean sameMinorLine(BaseVersion other) {
        return major == other.major && minor == other.minor;
    }

    @Override
    public int compareTo(BaseVersion other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + patch;
    }
}
