package dev.roboflare.agent.deploy;

import dev.roboflare.agent.log.Log;

/**
 * TEST ONLY. {@code ROBOFLARE_AGENT_PAUSE_AT=<phase word>} makes the agent stop right after it persisted that
 * phase (for {@code download}: after the first ~64 KiB chunk reached the part file), log
 * {@code <5>test hook: paused at <phase>} and sleep forever, so a crash test can SIGKILL it at a known point.
 * Never set it on a robot. Not final so an in-process test can act at a phase instead of sleeping.
 */
public class PauseHook {
    public static final String ENV = "ROBOFLARE_AGENT_PAUSE_AT";
    private final String pauseAt;

    public PauseHook(String pauseAt) {
        this.pauseAt = pauseAt == null || pauseAt.isBlank() ? null : pauseAt.trim();
    }

    public static PauseHook fromEnvironment() {
        return new PauseHook(System.getenv(ENV));
    }

    public void pauseIfAt(Phase phase) {
        if (phase.word().equals(pauseAt)) {
            Log.text(Log.Priority.NOTICE, "test hook: paused at " + phase.word());
            while (true) {
                try {
                    Thread.sleep(Long.MAX_VALUE);
                } catch (InterruptedException e) {
                    // sleep forever: only a signal ends this process
                }
            }
        }
    }
}
