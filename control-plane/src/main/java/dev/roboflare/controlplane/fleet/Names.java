package dev.roboflare.controlplane.fleet;

import dev.roboflare.controlplane.RequestRejected;

/** Names of robots and fleets: required, trimmed, at most 200 characters. */
final class Names {
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
        return trimmed;
    }
}
