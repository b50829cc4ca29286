package dev.roboflare.planner.github;

import dev.roboflare.planner.Sleeper;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * Waits out GitHub rate limits instead of failing: a 403 or 429 that carries {@code retry-after}, or
 * {@code x-ratelimit-remaining: 0} with {@code x-ratelimit-reset} (epoch seconds), is retried after
 * that time. A 403 without those headers is a real "forbidden" and is passed on.
 */
final class RateLimitWaiter implements Interceptor {
    /** When GitHub gives a secondary limit without a time, its docs say to wait at least a minute. */
    static final Duration DEFAULT_WAIT = Duration.ofSeconds(60);
    static final Duration LONGEST_WAIT = Duration.ofMinutes(65);
    static final int MAX_WAITS = 5;

    private final Clock clock;
    private final Sleeper sleeper;
    private final Consumer<String> progress;

    RateLimitWaiter(Clock clock, Sleeper sleeper, Consumer<String> progress) {
        this.clock = clock;
        this.sleeper = sleeper;
        this.progress = progress;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Response response = chain.proceed(chain.request());
        for (int waits = 0; waits < MAX_WAITS; waits++) {
            Optional<Duration> wait = waitFor(response);
            if (wait.isEmpty()) {
                return response;
            }
            response.close();
            progress.accept("GitHub rate limit reached (HTTP " + response.code() + "): waiting "
                    + wait.get().toSeconds() + " s before retrying " + chain.request().url().encodedPath());
            try {
                sleeper.sleep(wait.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting out a GitHub rate limit");
            }
            response = chain.proceed(chain.request());
        }
        return response;
    }

    Optional<Duration> waitFor(Response response) {
        if (response.code() != 403 && response.code() != 429) {
            return Optional.empty();
        }
        String retryAfter = response.header("retry-after");
        if (retryAfter != null) {
            try {
                return Optional.of(cap(Duration.ofSeconds(Long.parseLong(retryAfter.trim()))));
            } catch (NumberFormatException e) {
                return Optional.of(DEFAULT_WAIT);
            }
        }
        if ("0".equals(trimmed(response.header("x-ratelimit-remaining")))) {
            String reset = response.header("x-ratelimit-reset");
            if (reset == null) {
                return Optional.of(DEFAULT_WAIT);
            }
            try {
                Instant at = Instant.ofEpochSecond(Long.parseLong(reset.trim()));
                Duration until = Duration.between(clock.instant(), at).plusSeconds(1);
                return Optional.of(cap(until.isNegative() ? Duration.ofSeconds(1) : until));
            } catch (NumberFormatException e) {
                return Optional.of(DEFAULT_WAIT);
            }
        }
        return response.code() == 429 ? Optional.of(DEFAULT_WAIT) : Optional.empty();
    }

    private static Duration cap(Duration wait) {
        return wait.compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : wait;
    }

    private static String trimmed(String value) {
        return value == null ? null : value.trim();
    }
}
