package dev.roboflare.agent.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roboflare.protocol.AgentApi;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class PollIntervalTest {
    private static AgentApi.Poll hint(Integer seconds) {
        return new AgentApi.Poll(List.of(), seconds);
    }

    /** Every draw lies within ±10% of {@code expected}, and the draws are not all equal (jitter spreads a fleet). */
    private static void assertJittered(PollInterval interval, AgentApi.Poll poll, Duration expected) {
        long lo = Math.round(expected.toMillis() * 0.9) - 1;
        long hi = Math.round(expected.toMillis() * 1.1) + 1;
        java.util.Set<Long> seen = new java.util.HashSet<>();
        for (int i = 0; i < 200; i++) {
            long ms = interval.next(poll).toMillis();
            assertThat(ms).isBetween(lo, hi);
            seen.add(ms);
        }
        assertThat(seen).hasSizeGreaterThan(10);
        assertThat(interval.inForce()).isEqualTo(expected);
    }

    @Test
    void configuredIntervalUntilTheControlPlaneSendsOne() {
        PollInterval interval = new PollInterval(Duration.ofSeconds(10));
        assertJittered(interval, hint(null), Duration.ofSeconds(10));
        assertJittered(interval, hint(90), Duration.ofSeconds(90));
        // the server stops sending it (restarted without --agent-poll-interval): back to the robot's own
        assertJittered(interval, hint(null), Duration.ofSeconds(10));
    }

    @Test
    void aHintOutsideOneSecondToOneHourIsClampedAndZeroIsIgnored() {
        PollInterval interval = new PollInterval(Duration.ofSeconds(10));
        assertJittered(interval, hint(86_400), Duration.ofHours(1));
        assertJittered(interval, hint(0), Duration.ofSeconds(10));
        assertJittered(interval, hint(-5), Duration.ofSeconds(10));
    }
}
