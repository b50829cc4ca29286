package dev.roboflare.agent.launcher;

/** Whether the app still runs; when it does not, its exit code if known and a short explanation. */
public record AppStatus(boolean running, Integer exitCode, String how) {
    public static AppStatus isRunning() {
        return new AppStatus(true, null, "running");
    }

    public static AppStatus exited(Integer code, String how) {
        return new AppStatus(false, code, how);
    }
}
