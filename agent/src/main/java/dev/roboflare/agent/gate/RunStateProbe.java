package dev.roboflare.agent.gate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Set;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * {@code --busy-url}: the robot's own run state. Opentrons robot-server answers {@code GET /runs} (header
 * {@code opentrons-version: *}) with {@code {"data": [runs], "links": {"current": ...}}}; the run whose
 * {@code current} is true is the one on the deck, and its {@code status} is busy when it is in the configured list.
 * No current run: free. An error status or no answer within the timeout: unknown.
 */
final class RunStateProbe implements BusySignal {
    static final Set<String> DEFAULT_BUSY = Set.of("running", "paused", "finishing", "stop-requested",
            "awaiting-recovery", "blocked-by-open-door");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm");

    private final String url;
    private final Set<String> busyStatuses;
    private final OkHttpClient http;

    RunStateProbe(String url, Set<String> busyStatuses, Duration timeout) {
        this.url = url;
        this.busyStatuses = Set.copyOf(busyStatuses);
        this.http = new OkHttpClient.Builder().callTimeout(timeout).retryOnConnectionFailure(false).build();
    }

    @Override
    public Verdict check(Instant now) {
        Request req = new Request.Builder().url(url).header("opentrons-version", "*").get().build();
        try (Response r = http.newCall(req).execute()) {
            if (!r.isSuccessful()) {
                return Verdict.unknown("busy-url " + url + " answered HTTP " + r.code());
            }
            JsonNode body = JSON.readTree(r.body().byteStream());
            for (JsonNode run : body.path("data")) {
                if (run.path("current").asBoolean(false)) {
                    return judge(run);
                }
            }
            return Verdict.FREE;
        } catch (IOException e) {
            return Verdict.unknown("busy-url " + url + " did not answer ("
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")");
        }
    }

    private Verdict judge(JsonNode run) {
        String status = run.path("status").asText("");
        if (!busyStatuses.contains(status)) {
            return Verdict.FREE;
        }
        String since = since(run.path("startedAt").isTextual() ? run.path("startedAt") : run.path("createdAt"));
        return Verdict.busy("run " + run.path("id").asText("?") + " " + status + (since == null ? "" : " since " + since));
    }

    private static String since(JsonNode when) {
        try {
            return when.isTextual() ? OffsetDateTime.parse(when.asText()).atZoneSameInstant(ZoneId.systemDefault())
                    .format(CLOCK) : null;
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
