package dev.roboflare.agent.state;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdScalarSerializer;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;

/**
 * The agent's JSON mapper: the protocol's {@code WireJson.lenient()} (snake_case names, unknown fields ignored,
 * RFC 3339 timestamps) with the one java.time type the agent reads and writes, {@link Instant} (state.json's
 * gated_since, a signed statement's issued_at and expires_at), handled here instead of by Jackson's JSR-310 module:
 * that module builds (de)serializers for every java.time type at start, about 75 classes an idle agent would keep
 * resident. The text is the module's: {@code Instant.toString()} (ISO-8601 in UTC) written, an ISO-8601 instant
 * (with Z or an offset) or epoch seconds (with a fraction) read. Another java.time type fails loudly, as Jackson
 * does without the module.
 */
public final class AgentJson {
    private AgentJson() {
    }

    /** A new lenient mapper (each caller configures its own copy, as with WireJson). */
    public static ObjectMapper lenient() {
        SimpleModule instants = new SimpleModule("roboflare-instant");
        instants.addSerializer(Instant.class, new InstantText());
        instants.addDeserializer(Instant.class, new InstantReader());
        return JsonMapper.builder()
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .addModule(instants)
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
                .build();
    }

    private static final class InstantText extends StdScalarSerializer<Instant> {
        InstantText() {
            super(Instant.class);
        }

        @Override
        public void serialize(Instant value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeString(value.toString());
        }
    }

    private static final class InstantReader extends StdScalarDeserializer<Instant> {
        InstantReader() {
            super(Instant.class);
        }

        @Override
        public Instant deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
            JsonToken t = p.currentToken();
            try {
                if (t == JsonToken.VALUE_STRING) {
                    String s = p.getText().trim();
                    return s.isEmpty() ? null : Instant.parse(s);
                }
                if (t == JsonToken.VALUE_NUMBER_INT) {
                    return Instant.ofEpochSecond(p.getLongValue());
                }
                if (t == JsonToken.VALUE_NUMBER_FLOAT) {
                    BigDecimal seconds = p.getDecimalValue();
                    long whole = seconds.longValue();
                    int nanos = seconds.subtract(BigDecimal.valueOf(whole)).movePointRight(9).intValue();
                    return Instant.ofEpochSecond(whole, nanos);
                }
            } catch (DateTimeException | ArithmeticException e) {
                return (Instant) ctx.handleWeirdStringValue(Instant.class, p.getText(),
                        "not an ISO-8601 instant: %s", e.getMessage());
            }
            return (Instant) ctx.handleUnexpectedToken(Instant.class, p);
        }
    }
}
