package dev.roboflare.planner;

import java.time.Duration;

/** Waits. The real one sleeps the thread; tests pass one that moves a fake clock instead. */
@FunctionalInterface
public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;

    static Sleeper system() {
        return duration -> {
            if (!duration.isNegative() && !duration.isZero()) {
                Thread.sleep(duration.toMillis());
            }
        };
    }
}
