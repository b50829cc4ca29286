package dev.roboflare.controlplane.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The in-memory session map stays bounded: a cap on live sessions, expired ones purged by a timer. */
class UiSessionsTest {
    private Instant now = Instant.parse("2026-06-01T00:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    @Test
    void loginsBeyondTheCapPushOutTheSessionsClosestToExpiring() {
        UiSessions sessions = new UiSessions(clock);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < UiSessions.MAX_SESSIONS + 5; i++) {
            now = now.plusMillis(1);
            ids.add(sessions.open("sha-" + i));
        }
        assertThat(sessions.size()).isEqualTo(UiSessions.MAX_SESSIONS);
        assertThat(sessions.tokenSha256(ids.get(0))).as("the oldest session").isEmpty();
        assertThat(sessions.tokenSha256(ids.get(ids.size() - 1))).contains("sha-" + (ids.size() - 1));
    }

    @Test
    void thePurgeDropsExpiredSessionsWithoutANewLogin() {
        UiSessions sessions = new UiSessions(clock);
        for (int i = 0; i < 100; i++) {
            sessions.open("sha-" + i);
        }
        String early = sessions.open("sha-early");
        now = now.plus(UiSessions.LIFETIME).minus(Duration.ofMinutes(1));
        String later = sessions.open("sha-later");
        now = now.plus(Duration.ofMinutes(2));
        sessions.purgeExpired(); // what the timer runs every minute
        assertThat(sessions.size()).isEqualTo(1);
        assertThat(sessions.tokenSha256(early)).isEmpty();
        assertThat(sessions.tokenSha256(later)).contains("sha-later");
    }
}
