package dev.roboflare.agent.client;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff with jitter, from {@code base} doubling up to {@code ceiling}; reset on success. */
public final class Backoff {
    private final Duration base;
    private final Duration ceiling;
    private int failures;

    public Backoff(Duration base, Duration ceiling) {
        this.base = base;
        this.ceiling = ceiling.compareTo(base) < 0 ? base : ceiling;
    }

    /** Records one more failure and returns how long to wait before the next try. */
    public Duration next() {
        failures = Math.min(failures + 1, 30);
        long ms = base.toMillis();
        for (int i = 1; i < failures && ms < ceiling.toMillis(); i++) {
            ms *= 2;
        }
        ms = Math.min(ms, ceiling.toMillis());
        return Duration.ofMillis(jitter(ms, 0.2));
    }

    public void reset() {
        failures = 0;
    }

    public int failures() {
        return failures;
    }

    /** {@code ms} ± {@code fraction}. */
    public static long jitter(long ms, double fraction) {
        double f = 1 + (ThreadLocalRandom.current().nextDouble() * 2 - 1) * fraction;
        return Math.max(1, Math.round(ms * f));
    }
}
