package dev.roboflare.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ProgressWaitingTest {
    private static final Instant SINCE = Instant.parse("2026-11-30T14:02:00Z");

    @Test
    void theWaitingHeaderCarriesAnyReasonAsAsciiAndReadsBackTheSame() {
        AgentApi.Waiting w = new AgentApi.Waiting("run abc running since 14:02 · bay ü", SINCE);
        String header = w.header();
        assertThat(header).matches("[\\x21-\\x7e ]+").startsWith(SINCE.getEpochSecond() + " ");
        assertThat(AgentApi.Waiting.parse(header)).isEqualTo(w);
    }

    @Test
    void anUnreadableWaitingHeaderIsIgnoredNotAFailure() {
        assertThat(AgentApi.Waiting.parse(null)).isNull();
        assertThat(AgentApi.Waiting.parse("soon run abc")).isNull();
        assertThat(AgentApi.Waiting.parse("-5 x")).isNull();
        assertThat(AgentApi.Waiting.parse("1 %zz")).isNull();
        assertThat(AgentApi.Waiting.parse("1 " + "a".repeat(AgentApi.Waiting.MAX_HEADER))).isNull();
    }

    @Test
    void aReasonLosesControlCharactersAndIsCut() {
        AgentApi.Waiting w = new AgentApi.Waiting("line one\nline two\u0007" + "x".repeat(400), SINCE);
        assertThat(w.reason()).startsWith("line one line two").hasSize(AgentApi.Waiting.MAX_REASON)
                .doesNotContain("\n");
    }

    @Test
    void theTextSaysWhyAndHowLong() {
        AgentApi.Progress p = new AgentApi.Progress("d1", "gated", null, null)
                .withWaiting(new AgentApi.Waiting("run abc running since 14:02", SINCE));
        assertThat(p.text(SINCE.plusSeconds(42 * 60 + 10))).isEqualTo("waiting: run abc running since 14:02 (42 min)");
        assertThat(p.text(SINCE.plusSeconds(3 * 3600 + 5 * 60))).endsWith("(3 h 5 min)");
        assertThat(p.text(SINCE.plusSeconds(9))).endsWith("(9 s)");
        assertThat(new AgentApi.Progress("d1", "installing", null, null).text()).isEqualTo("installing");
    }

    @Test
    void theProgressHeaderStaysInTheFormatOlderControlPlanesRead() {
        AgentApi.Progress p = new AgentApi.Progress("d1", "gated", null, null)
                .withWaiting(new AgentApi.Waiting("busy", SINCE));
        assertThat(p.header()).isEqualTo("d1 gated");
        assertThat(AgentApi.Progress.parse(p.header())).isEqualTo(new AgentApi.Progress("d1", "gated", null, null));
    }

    @Test
    void operatorJsonWithoutWaitingReadsAndOlderReadersIgnoreIt() throws Exception {
        ObjectMapper json = WireJson.lenient();
        AgentApi.Progress old = json.readValue("{\"deployment_id\":\"d1\",\"phase\":\"installing\"}",
                AgentApi.Progress.class);
        assertThat(old.waiting()).isNull();
        String withWaiting = json.writeValueAsString(new AgentApi.Progress("d1", "gated", null, null)
                .withWaiting(new AgentApi.Waiting("run abc running", SINCE)));
        assertThat(withWaiting).contains("\"waiting\":{\"reason\":\"run abc running\",\"since\":\"2026-11-30T14:02:00Z\"}");
        assertThat(json.readValue(withWaiting, AgentApi.Progress.class).waiting().since()).isEqualTo(SINCE);
        // a reader that predates the field (the lenient mapper every client uses) skips it
        record OldProgress(String deploymentId, String phase, Long done, Long total) {
        }
        assertThat(json.readValue(withWaiting, OldProgress.class).phase()).isEqualTo("gated");
    }
}
