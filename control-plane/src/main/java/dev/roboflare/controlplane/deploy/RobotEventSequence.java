package dev.roboflare.controlplane.deploy;

/**
 * Judges a robot's event sequence number (AgentApi.Event.seq) against the highest one stored for that robot.
 * The agent numbers events 1, 2, 3... across deployments and restarts and resends an event with the same number,
 * so a jump shows events that have not arrived (yet), and a smaller number one that arrived late. Neither is
 * refused: the event is stored either way and the finding is logged.
 */
public final class RobotEventSequence {
    private RobotEventSequence() {
    }

    /** What is odd about {@code seq} after {@code storedMax} (null: nothing stored yet); null when in order. */
    public static String judge(Long storedMax, long seq) {
        if (storedMax == null || seq == storedMax + 1) {
            return null;
        }
        if (seq > storedMax + 1) {
            long missing = seq - storedMax - 1;
            return "gap: robot event seq " + seq + " follows " + storedMax + "; " + missing + " event"
                    + (missing == 1 ? "" : "s") + " (" + (storedMax + 1) + (missing == 1 ? "" : ".." + (seq - 1))
                    + ") not received yet (still in the robot's outbox, or refused as 404/409 and dropped by it)";
        }
        return "out of order: robot event seq " + seq + " arrived after " + storedMax
                + (seq == storedMax ? " (the same number, on another event_id)" : " (a late event)");
    }
}
