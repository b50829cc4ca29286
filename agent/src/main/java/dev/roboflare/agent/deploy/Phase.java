package dev.roboflare.agent.deploy;

import java.util.Locale;

/**
 * The phases of a deployment. {@link #word()} is what state.json stores and what the logs print as
 * {@code step=}, so a technician can match a log line to the persisted state. The transitions between them are
 * in {@link DeploymentMachine}.
 */
public enum Phase {
    CHECK, DOWNLOAD, VERIFY, EXTRACT, SWITCH, WATCH, ROLLBACK, REPORT, DONE;

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Phase of(String word) {
        for (Phase p : values()) {
            if (p.word().equals(word)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown phase '" + word + "' in state.json");
    }
}
