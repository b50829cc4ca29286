package dev.roboflare.planner.builds;

import dev.roboflare.planner.Sleeper;
import dev.roboflare.planner.stack.BuildPipeline;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * {@code --wait}: looks for the runs every {@code interval} until all three exist or {@code timeout}
 * has passed since the first look. Only the run lists are polled; jobs are fetched afterwards.
 */
public final class BuildWaiter {
    private final ReleaseRunFinder finder;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Duration interval;
    private final Duration timeout;
    private final Consumer<String> progress;

    public BuildWaiter(ReleaseRunFinder finder, Clock clock, Sleeper sleeper, Duration interval, Duration timeout,
                       Consumer<String> progress) {
        this.finder = finder;
        this.clock = clock;
        this.sleeper = sleeper;
        this.interval = interval;
        this.timeout = timeout;
        this.progress = progress;
    }

    public ReleaseRuns await(BuildPipeline pipeline, String tag) throws InterruptedException {
        Instant deadline = clock.instant().plus(timeout);
        while (true) {
            ReleaseRuns runs = finder.find(pipeline, tag);
            if (runs.complete()) {
                return runs;
            }
            Duration left = Duration.between(clock.instant(), deadline);
            if (left.isNegative() || left.isZero()) {
                return runs;
            }
            Duration pause = interval.compareTo(left) < 0 ? interval : left;
            progress.accept("waiting for the " + String.join(", ", runs.missing()) + " run(s) of " + tag + ": next look in "
                    + pause.toSeconds() + " s (" + left.toSeconds() + " s left)");
            sleeper.sleep(pause);
        }
    }
}
