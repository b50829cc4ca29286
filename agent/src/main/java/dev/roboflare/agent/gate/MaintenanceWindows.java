package dev.roboflare.agent.gate;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/** Busy outside every configured window (no window configured: never busy for this reason). */
final class MaintenanceWindows implements BusySignal {
    private final List<MaintenanceWindow> windows;

    MaintenanceWindows(List<MaintenanceWindow> windows) {
        this.windows = List.copyOf(windows);
    }

    /**
     * The longest time outside every window in the two weeks from {@code from} (to the minute; a week is the
     * period of every window, the second one catches a wait that spans the turn of the week). A deployment made as a
     * window closes waits this long for the next one.
     */
    java.time.Duration longestClosed(Instant from) {
        Instant start = from.truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
        long longest = 0;
        long run = 0;
        for (int m = 0; m < 2 * 7 * 24 * 60; m++) {
            java.time.ZonedDateTime t = start.plusSeconds(60L * m).atZone(ZoneOffset.UTC);
            run = windows.stream().anyMatch(w -> w.contains(t)) ? 0 : run + 1;
            longest = Math.max(longest, run);
        }
        return java.time.Duration.ofMinutes(longest);
    }

    @Override
    public Verdict check(Instant now) {
        if (windows.stream().anyMatch(w -> w.contains(now.atZone(ZoneOffset.UTC)))) {
            return Verdict.FREE;
        }
        return Verdict.busy("outside the maintenance window" + (windows.size() > 1 ? "s " : " ")
                + String.join(", ", windows.stream().map(w -> "'" + w.text() + "'").toList()));
    }
}
