package dev.roboflare.controlplane.ui;

import dev.roboflare.controlplane.storage.StatusPageRows.Filter;
import dev.roboflare.controlplane.storage.StatusPageRows.StatusFilter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.StringJoiner;
import java.util.function.Function;

/**
 * The robot list's search and page, from /ui's query string: {@code q} (part of the name), {@code fleet} and
 * {@code release} (ids), {@code status} (a {@link StatusFilter}, lower case) and {@code page} (from 1). Anything
 * unreadable is ignored rather than refused: the page is for people, and shows what it understood.
 */
record StatusQuery(String name, String fleetId, String releaseId, StatusFilter status, int page) {
    static final StatusQuery FIRST = new StatusQuery(null, null, null, null, 1);

    static StatusQuery from(Function<String, String> param) {
        StatusFilter status = null;
        for (StatusFilter f : StatusFilter.values()) {
            if (f.wire().equals(param.apply("status"))) {
                status = f;
            }
        }
        int page = 1;
        try {
            page = Math.max(1, Math.min(1_000_000, Integer.parseInt(String.valueOf(param.apply("page")))));
        } catch (NumberFormatException ignored) {
            // first page
        }
        return new StatusQuery(blankToNull(param.apply("q")), blankToNull(param.apply("fleet")),
                blankToNull(param.apply("release")), status, page);
    }

    Filter filter() {
        return new Filter(name, fleetId, releaseId, status);
    }

    boolean filtered() {
        return name != null || fleetId != null || releaseId != null || status != null;
    }

    /** The /ui link to another page of the same search. */
    String href(int toPage) {
        StringJoiner j = new StringJoiner("&", "/ui?", "");
        add(j, "q", name);
        add(j, "fleet", fleetId);
        add(j, "release", releaseId);
        add(j, "status", status == null ? null : status.wire());
        if (toPage > 1) {
            j.add("page=" + toPage);
        }
        String s = j.toString();
        return s.equals("/ui?") ? "/ui" : s;
    }

    private static void add(StringJoiner j, String key, String value) {
        if (value != null) {
            j.add(key + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
