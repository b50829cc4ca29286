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

    @Override
    public Verdict check(Instant now) {
        if (windows.stream().anyMatch(w -> w.contains(now.atZone(ZoneOffset.UTC)))) {
            return Verdict.FREE;
        }
        return Verdict.busy("outside the maintenance window" + (windows.size() > 1 ? "s " : " ")
                + String.join(", ", windows.stream().map(w -> "'" + w.text() + "'").toList()));
    }
}
