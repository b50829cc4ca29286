package dev.roboflare.controlplane;

import java.util.UUID;

/** Ids of rows the control plane creates: random UUIDs, so they never reveal counts or order. */
public final class Ids {
    private Ids() {
    }

    public static String newId() {
        return UUID.randomUUID().toString();
    }
}
