package dev.roboflare.agent.deploy;

/**
 * The phases of a deployment. {@link #word()} is what state.json stores and what the logs print as
 * {@code step=}, so a technician can match a log line to the persisted state. The words are part of the state
 * format: they are spelled out here, never derived from the constant names, and a word once written to a robot's
 * disk is never renamed (add a phase, with a new word, instead). The transitions are in {@link DeploymentMachine}.
 */
public enum Phase {
    CHECK("check"),
    DOWNLOAD("download"),
    VERIFY("verify"),
    EXTRACT("extract"),
    GATE("gate"),
    SWITCH("switch"),
    WATCH("watch"),
    COMMIT("commit"),
    /** A whole OS image: written into the inactive slot. */
    WRITE("write"),
    /** A whole OS image: the boot environment points at the new slot (one atomic write), then the reboot. */
    REBOOT("reboot"),
    /** A whole OS image, after the reboot: which slot booted; the app is watched on the new one. */
    BOOTED("booted"),
    /** A whole OS image: the boot environment back at the old slot, and a reboot into it when needed. */
    REVERT("revert"),
    ROLLBACK("rollback"),
    CLEANUP("cleanup"),
    REPORT("report"),
    DONE("done");

    private final String word;

    Phase(String word) {
        this.word = word;
    }

    public String word() {
        return word;
    }

    public static Phase of(String word) {
        for (Phase p : values()) {
            if (p.word.equals(word)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown phase '" + word + "' in state.json");
    }
}
