package dev.roboflare.agent.gate;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * A robot-side maintenance window, {@code "Mon-Fri 22:00-06:00 America/New_York"}: days (optional, default every
 * day; ranges and commas: {@code Mon-Fri}, {@code Sat,Sun}), a time range (HH:MM or HH:MM:SS; it may run past
 * midnight, and then belongs to the day it starts on) and a zone (optional, default the robot's own).
 */
record MaintenanceWindow(String text, Set<DayOfWeek> days, LocalTime start, LocalTime end, ZoneId zone) {
    static final String EXAMPLE = "Mon-Fri 22:00-06:00 America/New_York";

    static MaintenanceWindow parse(String text) {
        String[] parts = text.trim().split("\\s+");
        int i = 0;
        Set<DayOfWeek> days = EnumSet.allOf(DayOfWeek.class);
        try {
            if (parts.length > 0 && Character.isLetter(parts[0].charAt(0))) {
                days = days(parts[i++]);
            }
            if (i >= parts.length) {
                throw new IllegalArgumentException("no time range");
            }
            String[] range = parts[i++].split("-");
            if (range.length != 2) {
                throw new IllegalArgumentException("the time range must be START-END");
            }
            LocalTime start = LocalTime.parse(range[0]);
            LocalTime end = LocalTime.parse(range[1]);
            ZoneId zone = i < parts.length ? ZoneId.of(parts[i++]) : ZoneId.systemDefault();
            if (i < parts.length) {
                throw new IllegalArgumentException("unexpected '" + parts[i] + "'");
            }
            return new MaintenanceWindow(text.trim(), days, start, end, zone);
        } catch (java.time.DateTimeException | IllegalArgumentException e) {
            throw new IllegalArgumentException("--maintenance-window '" + text + "': " + e.getMessage()
                    + "; write it like '" + EXAMPLE + "' (days and zone optional)");
        }
    }

    boolean contains(ZonedDateTime instant) {
        ZonedDateTime t = instant.withZoneSameInstant(zone);
        LocalTime time = t.toLocalTime();
        DayOfWeek day = t.getDayOfWeek();
        if (start.equals(end)) {
            return days.contains(day);
        }
        if (start.isBefore(end)) {
            return days.contains(day) && !time.isBefore(start) && time.isBefore(end);
        }
        return days.contains(day) && !time.isBefore(start) || days.contains(day.minus(1)) && time.isBefore(end);
    }

    private static Set<DayOfWeek> days(String spec) {
        Set<DayOfWeek> out = EnumSet.noneOf(DayOfWeek.class);
        for (String item : spec.split(",")) {
            String[] r = item.split("-");
            DayOfWeek from = day(r[0]);
            DayOfWeek to = r.length > 1 ? day(r[1]) : from;
            for (DayOfWeek d = from; ; d = d.plus(1)) {
                out.add(d);
                if (d == to) {
                    break;
                }
            }
        }
        return out;
    }

    private static DayOfWeek day(String s) {
        for (DayOfWeek d : DayOfWeek.values()) {
            if (d.getDisplayName(TextStyle.SHORT, Locale.ENGLISH).equalsIgnoreCase(s)) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown day '" + s + "' (Mon, Tue, Wed, Thu, Fri, Sat, Sun)");
    }
}
