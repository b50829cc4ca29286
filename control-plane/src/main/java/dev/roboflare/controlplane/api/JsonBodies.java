package dev.roboflare.controlplane.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;
import dev.roboflare.controlplane.RequestRejected;
import dev.roboflare.protocol.WireJson;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Reads JSON request bodies strictly (unknown fields, wrong types, duplicate keys and trailing garbage are
 * 400s) and turns Jackson's complaints into details a person can act on.
 */
final class JsonBodies {
    private static final ObjectMapper STRICT = strictMapper();

    private JsonBodies() {
    }

    private static ObjectMapper strictMapper() {
        ObjectMapper m = WireJson.strict();
        m.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        m.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        m.getFactory().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        // Jackson would quietly turn 42 or true into "42"/"true"; a wrong type should be an error instead.
        for (CoercionInputShape shape : List.of(CoercionInputShape.Integer, CoercionInputShape.Float,
                CoercionInputShape.Boolean)) {
            m.coercionConfigFor(LogicalType.Textual).setCoercion(shape, CoercionAction.Fail);
            m.coercionConfigFor(LogicalType.Enum).setCoercion(shape, CoercionAction.Fail);
        }
        return m;
    }

    /** The body as {@code type}; {@code example} is shown to the caller when the body is unusable. */
    static <T> T read(Context ctx, Class<T> type, String example) {
        ObjectNode tree = readObject(ctx, example);
        rejectNul(tree, "");
        normalizeTimestamp(tree, "scheduled_at");
        try {
            return STRICT.treeToValue(tree, type);
        } catch (JsonProcessingException e) {
            throw translate(e, example);
        }
    }

    /** JSON bodies are small; this also bounds chunked bodies, which carry no Content-Length to check up front. */
    static final int MAX_BODY_BYTES = 1_000_000;

    private static String boundedBody(Context ctx) {
        if (ctx.req().getContentLengthLong() > MAX_BODY_BYTES) {
            throw new RequestRejected(413, "the request body is " + ctx.req().getContentLengthLong() + " bytes; JSON "
                    + "bodies are limited to " + MAX_BODY_BYTES + " bytes (artifacts go to POST /api/artifacts)");
        }
        try (java.io.InputStream in = ctx.req().getInputStream()) {
            byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
            if (bytes.length > MAX_BODY_BYTES) {
                throw new RequestRejected(413, "the request body is over " + MAX_BODY_BYTES + " bytes; JSON bodies "
                        + "are limited to that (artifacts go to POST /api/artifacts)");
            }
            return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw RequestRejected.badRequest("the request body could not be read: " + e.getMessage());
        }
    }

    /** PostgreSQL cannot store U+0000 in text; no field of ours has a use for it. */
    private static void rejectNul(JsonNode node, String path) {
        if (node.isTextual() && node.textValue().indexOf('\u0000') >= 0) {
            throw RequestRejected.badRequest("field '" + (path.isEmpty() ? "(body)" : path)
                    + "' contains a NUL character (\\u0000), which no field accepts");
        }
        if (node.isObject()) {
            var fields = node.fields();
            while (fields.hasNext()) {
                var f = fields.next();
                if (f.getKey().indexOf('\u0000') >= 0) {
                    throw RequestRejected.badRequest("a field name contains a NUL character (\\u0000)");
                }
                rejectNul(f.getValue(), path.isEmpty() ? f.getKey() : path + "." + f.getKey());
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                rejectNul(node.get(i), path + "[" + i + "]");
            }
        }
    }

    private static ObjectNode readObject(Context ctx, String example) {
        String body = boundedBody(ctx);
        if (body.isBlank()) {
            throw RequestRejected.badRequest("the request body is empty; send a JSON object such as " + example);
        }
        JsonNode node;
        try {
            node = STRICT.readTree(body);
        } catch (JsonProcessingException e) {
            throw translate(e, example);
        }
        if (!(node instanceof ObjectNode object)) {
            throw RequestRejected.badRequest("the request body must be a JSON object, not "
                    + node.getNodeType().name().toLowerCase(Locale.ROOT) + "; send e.g. " + example);
        }
        return object;
    }

    /**
     * scheduled_at must be an RFC 3339 string with an offset; Jackson alone would also take epoch numbers.
     * The value is rewritten as a UTC instant so any offset the caller used works.
     */
    private static void normalizeTimestamp(ObjectNode tree, String field) {
        JsonNode value = tree.get(field);
        if (value == null || value.isNull()) {
            return;
        }
        String hint = field + " must be an RFC 3339 timestamp string with a time zone, e.g. \"2026-06-01T03:00:00Z\"";
        if (!value.isTextual()) {
            throw RequestRejected.badRequest(hint + ", not " + value.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        try {
            Instant instant = OffsetDateTime.parse(value.textValue().toUpperCase(Locale.ROOT),
                    DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
            tree.put(field, instant.toString());
        } catch (DateTimeParseException e) {
            throw RequestRejected.badRequest(hint + "; got \"" + value.textValue() + "\"");
        }
    }

    private static RequestRejected translate(JsonProcessingException e, String example) {
        if (e instanceof UnrecognizedPropertyException u) {
            return RequestRejected.badRequest("unknown field '" + u.getPropertyName() + "'; this request takes "
                    + names(u.getKnownPropertyIds()) + " (names are snake_case), e.g. " + example);
        }
        if (e instanceof StreamReadException && !(e instanceof JsonMappingException)) {
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            return RequestRejected.badRequest("the request body is not valid JSON" + where + ": "
                    + e.getOriginalMessage() + "; send a JSON object such as " + example);
        }
        if (e instanceof JsonMappingException m) {
            String field = path(m);
            String reason = reason(m);
            return RequestRejected.badRequest((field.isEmpty() ? "the body" : "field '" + field + "'")
                    + " has the wrong type or value: " + reason + "; e.g. " + example);
        }
        return RequestRejected.badRequest("the request body could not be read: " + e.getOriginalMessage());
    }

    private static String reason(JsonMappingException m) {
        for (Throwable t = m.getCause(); t != null; t = t.getCause()) {
            if (t instanceof IllegalArgumentException && t.getMessage() != null) {
                return t.getMessage(); // our enums explain the allowed values
            }
        }
        if (m instanceof MismatchedInputException mi && mi.getTargetType() != null) {
            return "expected " + expected(mi.getTargetType());
        }
        return m.getOriginalMessage();
    }

    private static String expected(Class<?> type) {
        if (type == String.class) {
            return "a string";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        if (type == Instant.class) {
            return "an RFC 3339 timestamp string";
        }
        if (type.isEnum()) {
            return "one of " + names(List.of(type.getEnumConstants()).stream()
                    .map(c -> c.toString().toLowerCase(Locale.ROOT)).collect(Collectors.toList()));
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
            return "a number";
        }
        return "a JSON object";
    }

    private static String path(JsonMappingException m) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : m.getPath()) {
            if (ref.getFieldName() != null) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static String names(Collection<Object> names) {
        return new TreeSet<>(names.stream().map(String::valueOf).collect(Collectors.toList())).stream()
                .collect(Collectors.joining(", "));
    }
}
