package dev.roboflare.controlplane.ui;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Browser sessions of the status page: a random id in an HttpOnly cookie, kept in memory only. The cookie is not the
 * operator token, so it cannot be replayed against /api, and a restart of the control plane logs everyone out.
 */
final class UiSessions {
    static final Duration LIFETIME = Duration.ofHours(12);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, Instant> expiries = new ConcurrentHashMap<>();
    private final Clock clock;

    UiSessions(Clock clock) {
        this.clock = clock;
    }

    String open() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Instant now = clock.instant();
        expiries.values().removeIf(expiry -> expiry.isBefore(now));
        expiries.put(id, now.plus(LIFETIME));
        return id;
    }

    boolean isValid(String id) {
        if (id == null) {
            return false;
        }
        Instant expiry = expiries.get(id);
        return expiry != null && expiry.isAfter(clock.instant());
    }

    void close(String id) {
        if (id != null) {
            expiries.remove(id);
        }
    }
}
