package dev.roboflare.controlplane.fleet;

import dev.roboflare.controlplane.LogText;
import dev.roboflare.controlplane.RequestRejected;

/**
 * Names of robots, fleets, artifacts and operator tokens: required, trimmed, at most 200 characters, no control
 * characters (a newline in a name would otherwise reach logs and terminals as a line of its own).
 */
public final class Names {
    private Names() {
    }

    static String require(String name, String what) {
        if (name == null || name.isBlank()) {
            throw RequestRejected.badRequest("name is required: a human-readable " + what
                    + " name, e.g. {\"name\": \"" + (what.equals("robot") ? "arm-03" : "bay-2") + "\"}");
        }
        String trimmed = name.trim();
        if (trimmed.length() > 200) {
            throw RequestRejected.badRequest(what + " name is " + trimmed.length() + " characters; use at most 200");
        }
        return rejectControl(trimmed, what);
    }

    /** {@code name} unchanged, or 400 when it holds a control character (newline, tab, escape, NUL, ...). */
    public static String rejectControl(String name, String what) {
        int at = LogText.firstControl(name);
        if (at >= 0) {
            throw RequestRejected.badRequest(what + " name contains the control character U+"
                    + String.format("%04X", (int) name.charAt(at)) + " at position " + at + "; names are one line "
                    + "of printable text");
        }
        return name;
    }
}
