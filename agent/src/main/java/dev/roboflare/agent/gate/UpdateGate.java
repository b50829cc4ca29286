package dev.roboflare.agent.gate;

import dev.roboflare.agent.log.Log;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Whether the app may be disturbed now (the gate phase asks it before every switch, of every kind). Busy when any
 * configured signal says so: the maintenance windows, the busy command, robot-server's run state, and last the
 * update lock, which the gate then keeps (through the switch and the watch, until {@link #release}). A signal that
 * cannot be read counts as busy for {@code unknownWait}, then the gate proceeds and says so once.
 */
public final class UpdateGate {
    /**
     * The gate's settings (each signal optional: null or empty is off).
     *
     * @param unknownWait how long an unreadable signal holds the switch back before the gate proceeds
     * @param maxDefer    how long a deployment may wait at the gate before it fails (null or zero: forever;
     *                    the agent's default is {@link #DEFAULT_MAX_DEFER})
     */
    public record Config(Path lockFile, String busyCommand, String busyUrl, Set<String> busyStatuses,
                         Duration busyUrlTimeout, List<String> maintenanceWindows, Duration unknownWait,
                         Duration maxDefer) {
        public static final Duration DEFAULT_UNKNOWN_WAIT = Duration.ofMinutes(5);
        /**
         * Longer than a weekend: a run paused on Friday evening and resumed on Monday, or a weekday-nights window
         * that next opens on Monday night (64 h after Saturday 06:00), is an ordinary wait, not a failure. Short
         * enough that a robot stuck busy (a run left awaiting recovery, a lock an app never lets go) shows up as a
         * failed deployment with the reason within the week, instead of a rollout that never ends.
         */
        public static final Duration DEFAULT_MAX_DEFER = Duration.ofHours(72);
        public static final Set<String> DEFAULT_BUSY_STATUSES = RunStateProbe.DEFAULT_BUSY;
    }

    /** No signal at all: always free (tests that are not about the gate). */
    public static final UpdateGate NONE = new UpdateGate(new Config(null, null, null, null, null, List.of(),
            Duration.ZERO, null));

    private final List<BusySignal> signals = new ArrayList<>();
    private final UpdateLock lock;
    private final Duration unknownWait;
    private final Duration maxDefer;
    private Instant unknownSince;
    private String lastLockError;

    /** @throws IllegalArgumentException a maintenance window that cannot be read (the message says how to fix it) */
    public UpdateGate(Config c) {
        if (c.maintenanceWindows() != null && !c.maintenanceWindows().isEmpty()) {
            signals.add(new MaintenanceWindows(c.maintenanceWindows().stream().map(MaintenanceWindow::parse).toList()));
        }
        if (c.busyCommand() != null && !c.busyCommand().isBlank()) {
            signals.add(new BusyCommand(c.busyCommand()));
        }
        if (c.busyUrl() != null && !c.busyUrl().isBlank()) {
            signals.add(new RunStateProbe(c.busyUrl(), c.busyStatuses() == null || c.busyStatuses().isEmpty()
                    ? RunStateProbe.DEFAULT_BUSY : c.busyStatuses(),
                    c.busyUrlTimeout() == null ? Duration.ofSeconds(3) : c.busyUrlTimeout()));
        }
        this.lock = c.lockFile() == null ? null : new UpdateLock(c.lockFile());
        this.unknownWait = c.unknownWait() == null ? Config.DEFAULT_UNKNOWN_WAIT : c.unknownWait();
        this.maxDefer = c.maxDefer() == null || c.maxDefer().isZero() ? null : c.maxDefer();
    }

    /**
     * A sentence for the start-up log when --max-defer is shorter than the longest time outside every maintenance
     * window: a deployment made as a window closes would then fail before the next one opens. Null when it is fine.
     */
    public String maxDeferWarning(Instant now) {
        if (maxDefer == null) {
            return null;
        }
        for (BusySignal s : signals) {
            if (s instanceof MaintenanceWindows w) {
                Duration closed = w.longestClosed(now);
                if (closed.compareTo(maxDefer) >= 0) {
                    return "--max-defer " + maxDefer.toString().substring(2).toLowerCase(java.util.Locale.ROOT)
                            + " is not longer than the longest time outside the maintenance windows ("
                            + closed.toString().substring(2).toLowerCase(java.util.Locale.ROOT) + "): a deployment made"
                            + " as a window closes fails before the next one opens. Set max-defer above it (or 0s)";
                }
            }
        }
        return null;
    }

    /** Null: a deployment may wait at the gate for ever. */
    public Duration maxDefer() {
        return maxDefer;
    }

    /**
     * Free (and the update lock is now the agent's), busy, or unknown (a signal unreadable for less than the
     * unknown wait). The reason of a busy or unknown answer says which signal and why.
     */
    public Verdict ask(Instant now) {
        Verdict unknown = null;
        for (BusySignal s : signals) {
            Verdict v = s.check(now);
            if (v.state() == Verdict.State.BUSY) {
                return v;
            }
            if (v.state() == Verdict.State.UNKNOWN && unknown == null) {
                unknown = v;
            }
        }
        if (unknown != null && stillWaiting(unknown, now)) {
            return unknown;
        }
        Verdict l = holdLock();
        if (l.state() == Verdict.State.UNKNOWN && stillWaiting(l, now)) {
            return l;
        }
        if (l.state() == Verdict.State.BUSY) {
            return l;
        }
        unknownSince = null;
        return Verdict.FREE;
    }

    /**
     * Takes the update lock if it is free (after a restart past the gate: the kernel dropped it with the old
     * process). The gate already let the deployment through, so an app holding it now does not stop anything.
     */
    public void holdIfFree() {
        holdLock();
    }

    /** The switch and the watch are over: apps may take the update lock again. */
    public void release() {
        if (lock != null) {
            lock.release();
        }
    }

    /** Whether the agent holds the update lock now. */
    public boolean holdsLock() {
        return lock != null && lock.held();
    }

    private Verdict holdLock() {
        if (lock == null) {
            return Verdict.FREE;
        }
        try {
            boolean held = lock.tryHold();
            lastLockError = null;
            return held ? Verdict.FREE : Verdict.busy("an app holds the update lock " + lock.file());
        } catch (IOException e) {
            if (!e.getMessage().equals(lastLockError)) {
                lastLockError = e.getMessage();
                Log.error().kv("step", "gate").kv("outcome", "lock-error").msg(e.getMessage()).emit();
            }
            return Verdict.unknown(e.getMessage());
        }
    }

    private boolean stillWaiting(Verdict unknown, Instant now) {
        if (unknownSince == null) {
            unknownSince = now;
        }
        if (Duration.between(unknownSince, now).compareTo(unknownWait) < 0) {
            return true;
        }
        Log.warn().kv("step", "gate").kv("outcome", "unknown-proceeding").kv("waited", unknownWait)
                .msg(unknown.reason() + " for " + unknownWait + "; proceeding as if the robot were free").emit();
        return false;
    }
}
