package dev.roboflare.agent.gate;

/**
 * What one busy signal says about the robot right now, with the reason a technician reads in the journal and in
 * {@code roboflare status} ("run abc running since 14:02").
 */
public record Verdict(State state, String reason) {
    public enum State {
        /** Nothing that must not be disturbed is going on. */
        FREE,
        /** Something must not be disturbed: the gate waits. */
        BUSY,
        /** The signal could not be read (robot-server silent, the command failed): the gate waits a while. */
        UNKNOWN
    }

    public static final Verdict FREE = new Verdict(State.FREE, null);

    public static Verdict busy(String reason) {
        return new Verdict(State.BUSY, reason);
    }

    public static Verdict unknown(String reason) {
        return new Verdict(State.UNKNOWN, reason);
    }
}
