package dev.roboflare.controlplane.ui;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Browser sessions of the status page: a random id in an HttpOnly cookie, kept in memory only. The cookie is not the
 * operator token, so it cannot be replayed against /api, and a restart of the control plane logs everyone out.
 * A session remembers the SHA-256 of the token that opened it (never the token), so each page view is checked
 * against that token again: it shows that token's organisation only, and stops working once the token is revoked.
 */
final class UiSessions {
    static final Duration LIFETIME = Duration.ofHours(12);
    /** Logins beyond this push out the sessions closest to expiring, so logins cannot grow the heap without end. */
    static final int MAX_SESSIONS = 10_000;
    private static final Duration PURGE_EVERY = Duration.ofMinutes(1);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** {@code csrf}: a second random value, put in the page's forms and required back with every form post. */
    record Session(String tokenSha256, Instant expiry, String csrf) {
    }

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Clock clock;
    private ScheduledExecutorService purger;

    UiSessions(Clock clock) {
        this.clock = clock;
    }

    String open(String tokenSha256) {
        String id = random();
        Instant now = clock.instant();
        if (sessions.size() >= MAX_SESSIONS) {
            purgeExpired();
        }
        while (sessions.size() >= MAX_SESSIONS) {
            sessions.entrySet().stream().min(Map.Entry.comparingByValue(Comparator.comparing(Session::expiry)))
                    .ifPresent(oldest -> sessions.remove(oldest.getKey()));
        }
        sessions.put(id, new Session(tokenSha256, now.plus(LIFETIME), random()));
        return id;
    }

    private static String random() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Drops expired sessions; a timer runs it every minute while the server runs. */
    void purgeExpired() {
        Instant now = clock.instant();
        sessions.values().removeIf(s -> s.expiry().isBefore(now));
    }

    synchronized void startPurging() {
        if (purger == null) {
            purger = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "ui-session-purge");
                t.setDaemon(true);
                return t;
            });
            purger.scheduleWithFixedDelay(this::purgeExpired, PURGE_EVERY.toSeconds(), PURGE_EVERY.toSeconds(),
                    TimeUnit.SECONDS);
        }
    }

    synchronized void stopPurging() {
        if (purger != null) {
            purger.shutdownNow();
            purger = null;
        }
    }

    int size() {
        return sessions.size();
    }

    /** A live session. */
    Optional<Session> find(String id) {
        if (id == null) {
            return Optional.empty();
        }
        Session s = sessions.get(id);
        return s != null && s.expiry().isAfter(clock.instant()) ? Optional.of(s) : Optional.empty();
    }

    /** The SHA-256 of the token behind a live session. */
    Optional<String> tokenSha256(String id) {
        return find(id).map(Session::tokenSha256);
    }

    void close(String id) {
        if (id != null) {
            sessions.remove(id);
        }
    }
}
