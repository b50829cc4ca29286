package dev.roboflare.planner.stack;

import java.util.Arrays;
import java.util.Optional;

/** Internal builds go to staff hosts with the seeds' rules; external ones follow the public tag conventions. */
public enum ReleaseType {
    INTERNAL("internal"),
    EXTERNAL("external");

    private final String cliName;

    ReleaseType(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    public static Optional<ReleaseType> fromCli(String word) {
        return Arrays.stream(values()).filter(t -> t.cliName.equalsIgnoreCase(word)).findFirst();
    }
}
