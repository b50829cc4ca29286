package dev.roboflare.planner.version;

import java.util.Collection;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Flex external isolation branches, as robot-stack's automation names them: exactly
 * {@code chore_release-X.Y.Z}. Look-alikes such as {@code candidate-chore_release-8.5.0},
 * {@code e2e-app-start-chore_release-9.0.0} or {@code chore_release-9.1.0-hotfix} do not count.
 */
public final class ChoreReleaseBranches {
    public static final String PREFIX = "chore_release-";
    private static final Pattern STRICT = Pattern.compile(Pattern.quote(PREFIX) + "(\\d+)\\.(\\d+)\\.(\\d+)");

    private ChoreReleaseBranches() {
    }

    /** The X.Y.Z of a strict {@code chore_release-X.Y.Z} name. */
    public static Optional<BaseVersion> versionOf(String branch) {
        Matcher m = STRICT.matcher(branch);
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new BaseVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                Integer.parseInt(m.group(3))));
    }

    /** The highest X.Y.Z among strict chore_release branches, compared as versions (9.10.0 above 9.9.0). */
    public static Optional<BaseVersion> highest(Collection<String> branches) {
        return branches.stream().map(ChoreReleaseBranches::versionOf).flatMap(Optional::stream).max(BaseVersion::compareTo);
    }

    public static String branchFor(BaseVersion base) {
        return PREFIX + base;
    }
}
