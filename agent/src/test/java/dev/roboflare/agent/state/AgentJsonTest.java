package dev.roboflare.agent.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidDefinitionException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import dev.roboflare.protocol.WireJson;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The agent's mapper writes and reads instants exactly as the protocol's (JSR-310 module) mapper does. */
class AgentJsonTest {
    record Stamped(String releaseId, Instant gatedSince) {
    }

    record Timed(Duration waited) {
    }

    private final ObjectMapper agent = AgentJson.lenient();
    private final ObjectMapper wire = WireJson.lenient();

    @Test
    void writesInstantsAsTheProtocolMapperDoes() throws Exception {
        for (Instant i : new Instant[] {Instant.parse("2026-11-30T01:02:03Z"),
            Instant.parse("2026-11-30T01:02:03.120Z"), Instant.parse("2026-11-30T01:02:03.123456789Z"),
            Instant.ofEpochSecond(0), Instant.ofEpochSecond(-1, 500)}) {
            Stamped s = new Stamped("rel-1", i);
            assertThat(agent.writeValueAsString(s)).isEqualTo(wire.writeValueAsString(s));
        }
        assertThat(agent.writeValueAsString(new Stamped("rel-1", null)))
                .isEqualTo("{\"release_id\":\"rel-1\",\"gated_since\":null}");
    }

    @Test
    void readsInstantsAsTheProtocolMapperDoes() throws Exception {
        for (String value : new String[] {"\"2026-11-30T01:02:03Z\"", "\"2026-11-30T01:02:03.123456789Z\"",
            "\"2026-11-30T02:02:03+01:00\"", "1764464523", "1764464523.5", "null", "\"\""}) {
            String json = "{\"release_id\":\"rel-1\",\"gated_since\":" + value + ",\"unknown\":1}";
            assertThat(agent.readValue(json, Stamped.class)).as(value).isEqualTo(wire.readValue(json, Stamped.class));
        }
    }

    @Test
    void aMalformedInstantOrAnotherJavaTimeTypeFailsLoudly() {
        assertThatThrownBy(() -> agent.readValue("{\"gated_since\":\"yesterday\"}", Stamped.class))
                .isInstanceOf(InvalidFormatException.class).hasMessageContaining("yesterday");
        assertThatThrownBy(() -> agent.writeValueAsString(new Timed(Duration.ofSeconds(1))))
                .isInstanceOf(InvalidDefinitionException.class);
    }
}
