package dev.roboflare.agent.launcher;

import dev.roboflare.agent.state.AppRecord;
import dev.roboflare.agent.state.ReleaseRecord;
import java.util.List;

/** Starts, watches and stops the robot's app. The app must outlive the agent: the agent only supervises it. */
public interface AppLauncher {
    /** Starts the release's app (stopping a leftover copy of the same release first) and returns its record. */
    AppRecord start(ReleaseRecord release) throws LaunchException;

    AppStatus status(AppRecord app);

    /** SIGTERM, a grace period, then SIGKILL. Does nothing when the app is already gone. */
    void stop(AppRecord app);

    /** Stops the app and deletes what only it used (a rolled-back container); a process is just stopped. */
    default void remove(AppRecord app) {
        stop(app);
    }

    /** The last lines the app printed since its last start (for the rolled_back / failed detail). */
    List<String> lastLines(AppRecord app, int n);
}
