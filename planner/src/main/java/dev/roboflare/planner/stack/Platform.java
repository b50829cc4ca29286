package dev.roboflare.planner.stack;

import java.util.Arrays;
import java.util.Optional;

/** The robot whose stack is being released; the CLI word is what --path takes. */
public enum Platform {
    FLEX("flex", "Flex"),
    OT2("ot2", "OT-2");

    private final String cliName;
    private final String displayName;

    Platform(String cliName, String displayName) {
        this.cliName = cliName;
        this.displayName = displayName;
    }

    public String cliName() {
        return cliName;
    }

    public String displayName() {
        return displayName;
    }

    public static Optional<Platform> fromCli(String word) {
        return Arrays.stream(values()).filter(p -> p.cliName.equalsIgnoreCase(word)).findFirst();
    }
}
