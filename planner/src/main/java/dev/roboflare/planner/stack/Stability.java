package dev.roboflare.planner.stack;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Release stability. Flex offers stable and unstable (alpha builds); OT-2 offers stable, alpha and beta.
 * Which words a platform accepts lives in {@link StackDefinition#stabilities()}.
 */
public enum Stability {
    STABLE("stable"),
    UNSTABLE("unstable"),
    ALPHA("alpha"),
    BETA("beta");

    private final String cliName;

    Stability(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    /** The prerelease label a tag carries for this stability, empty for stable. Flex unstable builds are alphas. */
    public Optional<String> prereleaseLabel() {
        return switch (this) {
            case STABLE -> Optional.empty();
            case UNSTABLE, ALPHA -> Optional.of("alpha");
            case BETA -> Optional.of("beta");
        };
    }

    public static Optional<Stability> fromCli(String word) {
        return Arrays.stream(values()).filter(s -> s.cliName.equalsIgnoreCase(word)).findFirst();
    }

    public static String cliNames(List<Stability> stabilities) {
        return String.join("|", stabilities.stream().map(Stability::cliName).toList());
    }
}
