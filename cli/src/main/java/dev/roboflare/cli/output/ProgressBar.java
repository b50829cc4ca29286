package dev.roboflare.cli.output;

import java.io.PrintWriter;
import java.util.Locale;

/** An upload progress bar on one terminal line, redrawn with a carriage return at most every 1% or 200 ms. */
public final class ProgressBar {
    private static final int WIDTH = 30;
    private final PrintWriter err;
    private final String label;
    private int lastPercent = -1;
    private long lastDrawn;

    public ProgressBar(PrintWriter err, String label) {
        this.err = err;
        this.label = label;
    }

    public void update(long sent, long total) {
        int percent = total <= 0 ? 100 : (int) (sent * 100 / total);
        long now = System.nanoTime();
        if (percent == lastPercent || (percent < 100 && now - lastDrawn < 200_000_000L && lastPercent >= 0)) {
            return;
        }
        lastPercent = percent;
        lastDrawn = now;
        err.print("\r" + render(label, sent, total));
        if (sent >= total) {
            err.println();
        }
        err.flush();
    }

    /** E.g. {@code lab-app.tar.gz [###############...............]  50%  5.0 MB / 10.0 MB}. */
    public static String render(String label, long sent, long total) {
        int percent = total <= 0 ? 100 : (int) Math.min(100, sent * 100 / total);
        int filled = percent * WIDTH / 100;
        return String.format(Locale.ROOT, "%s [%s%s] %3d%%  %s / %s", label, "#".repeat(filled),
                ".".repeat(WIDTH - filled), percent, bytes(sent), bytes(total));
    }

    public static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        if (n < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", n / 1024.0);
        }
        if (n < 1024L * 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f MiB", n / (1024.0 * 1024));
        }
        return String.format(Locale.ROOT, "%.2f GiB", n / (1024.0 * 1024 * 1024));
    }
}
