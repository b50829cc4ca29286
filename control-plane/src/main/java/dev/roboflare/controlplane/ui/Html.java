package dev.roboflare.controlplane.ui;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** What every /ui page needs: HTML escaping, times for people, and the one style sheet (status.css). */
final class Html {
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);
    static final String CSS = resource("status.css");

    private Html() {
    }

    static String time(Instant t) {
        return TIME.format(t);
    }

    static String ago(Instant t, Instant now) {
        Duration d = Duration.between(t, now);
        if (d.toSeconds() < 90) {
            return Math.max(0, d.toSeconds()) + " s";
        }
        if (d.toMinutes() < 120) {
            return d.toMinutes() + " min";
        }
        if (d.toHours() < 48) {
            return d.toHours() + " h";
        }
        return d.toDays() + " days";
    }

    static String plural(long n, String what) {
        return n + " " + what + (n == 1 ? "" : "s");
    }

    /** Text and attribute values alike. */
    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** The start of a page up to {@code <main>}: {@code refreshSeconds} 0 for none (a page with a form to fill). */
    static StringBuilder head(String title, int refreshSeconds) {
        StringBuilder h = new StringBuilder(32_768);
        h.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">");
        if (refreshSeconds > 0) {
            h.append("<meta http-equiv=\"refresh\" content=\"").append(refreshSeconds).append("\">");
        }
        return h.append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>")
                .append(esc(title)).append("</title><style>").append(CSS).append("</style></head><body>");
    }

    private static String resource(String name) {
        try (InputStream in = Html.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("status page resource " + name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
