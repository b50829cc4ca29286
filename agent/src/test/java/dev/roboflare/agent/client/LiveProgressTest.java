package dev.roboflare.agent.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roboflare.protocol.AgentApi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What a poll says about the deployment in flight, and what the control plane reads back from it. */
class LiveProgressTest {
    @AfterEach
    void idle() {
        LiveProgress.current().clear();
    }

    @Test
    void thePhasesAndTheirMeasureBecomeTheHeaderAPersonCanRead() {
        LiveProgress p = LiveProgress.current();
        p.phase("dep-1", "downloading", 0L, 4_194_304L);
        p.done(1_048_576);
        assertThat(p.value().header()).isEqualTo("dep-1 downloading 1048576/4194304");
        assertThat(AgentApi.Progress.parse(p.value().header())).isEqualTo(p.value());
        assertThat(p.value().text()).isEqualTo("downloading 25%");

        long before = p.version();
        p.done(1_048_576); // no change: no new report
        assertThat(p.version()).isEqualTo(before);

        p.phase("dep-1", "installing", null, null);
        p.done(5); // a phase without a measure keeps none
        assertThat(p.value().header()).isEqualTo("dep-1 installing");
        assertThat(p.value().text()).isEqualTo("installing");

        p.phase("dep-1", "watching", 12L, 30L);
        assertThat(p.value().text()).isEqualTo("watching 12/30 s");
        p.clear();
        assertThat(p.value()).isNull();
    }

    @Test
    void anUnreadableHeaderIsNoProgressRatherThanAnError() {
        for (String bad : new String[] {"", "dep-1", "dep-1 downloading 5/x", "dep-1 downloading -1/5",
                "<b> downloading", "dep-1 Downloading", "dep-1 watching 1/2 extra", "dep-1 downloading 7", "x".repeat(300)}) {
            assertThat(AgentApi.Progress.parse(bad)).as(bad).isNull();
        }
    }
}
