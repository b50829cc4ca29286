package dev.roboflare.protocol;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** The one JSON configuration both ends use: snake_case names, RFC 3339 timestamps. */
public final class WireJson {
    private WireJson() {
    }

    /** A mapper that ignores unknown fields: for reading the other side's answers (forward compatible). */
    public static ObjectMapper lenient() {
        return base().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false).build();
    }

    /** A mapper that rejects unknown fields: for validating request bodies at the server. */
    public static ObjectMapper strict() {
        return base().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true).build();
    }

    private static JsonMapper.Builder base() {
        return JsonMapper.builder()
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .addModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    }
}
