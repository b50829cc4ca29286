package dev.roboflare.agent.gate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * --busy-url against a server replaying Opentrons robot-server's documented GET /runs answers (the real one is a
 * Python service this machine cannot install): {"data": [Run], "links": {"current": ...}, "meta": ...}, each Run
 * with id, createdAt, startedAt, status and current.
 */
class RunStateProbeTest {
    MockWebServer robotServer;
    RunStateProbe probe;

    @BeforeEach
    void start() throws IOException {
        robotServer = new MockWebServer();
        robotServer.start();
        probe = new RunStateProbe(robotServer.url("/runs").toString(), RunStateProbe.DEFAULT_BUSY,
                Duration.ofMillis(500));
    }

    @AfterEach
    void stop() throws IOException {
        robotServer.shutdown();
    }

    static String runs(String currentId, String currentStatus) {
        String old = "{\"id\": \"old-run\", \"createdAt\": \"2026-11-28T09:00:00.000000+00:00\", \"status\": "
                + "\"succeeded\", \"current\": false, \"actions\": [], \"errors\": [], \"labware\": [], "
                + "\"pipettes\": [], \"modules\": [], \"protocolId\": \"p-0\"}";
        if (currentId == null) {
            return "{\"data\": [" + old + "], \"links\": {}, \"meta\": {\"cursor\": 0, \"totalLength\": 1}}";
        }
        String current = "{\"id\": \"" + currentId + "\", \"createdAt\": \"2026-11-29T14:01:30.000000+00:00\", "
                + "\"startedAt\": \"2026-11-29T14:02:05.120000+00:00\", \"status\": \"" + currentStatus + "\", "
                + "\"current\": true, \"actions\": [{\"id\": \"a1\", \"actionType\": \"play\"}], \"errors\": [], "
                + "\"labware\": [], \"pipettes\": [], \"modules\": [], \"protocolId\": \"p-1\"}";
        return "{\"data\": [" + old + ", " + current + "], \"links\": {\"current\": {\"href\": \"/runs/" + currentId
                + "\", \"meta\": {\"runId\": \"" + currentId + "\", \"index\": 1}}}, "
                + "\"meta\": {\"cursor\": 0, \"totalLength\": 2}}";
    }

    Verdict answer(MockResponse r) {
        robotServer.enqueue(r);
        return probe.check(Instant.now());
    }

    static MockResponse json(String body) {
        return new MockResponse().setHeader("Content-Type", "application/json").setBody(body);
    }

    @Test
    void everyBusyStatusOfTheCurrentRunIsBusyWithTheRunAndSinceWhen() throws InterruptedException {
        String since = OffsetDateTime.parse("2026-11-29T14:02:05.12Z").atZoneSameInstant(ZoneId.systemDefault())
                .format(DateTimeFormatter.ofPattern("HH:mm"));
        for (String status : List.of("running", "paused", "finishing", "stop-requested", "awaiting-recovery",
                "blocked-by-open-door")) {
            Verdict v = answer(json(runs("abc", status)));
            assertThat(v.state()).as(status).isEqualTo(Verdict.State.BUSY);
            assertThat(v.reason()).isEqualTo("run abc " + status + " since " + since);
            RecordedRequest req = robotServer.takeRequest(1, TimeUnit.SECONDS);
            assertThat(req.getHeader("opentrons-version")).as("robot-server refuses requests without it")
                    .isEqualTo("*");
        }
    }

    @Test
    void aFinishedOrIdleCurrentRunOrNoCurrentRunIsFree() {
        for (String status : List.of("idle", "succeeded", "failed", "stopped")) {
            assertThat(answer(json(runs("abc", status)))).as(status).isEqualTo(Verdict.FREE);
        }
        assertThat(answer(json(runs(null, null)))).isEqualTo(Verdict.FREE);
        assertThat(answer(json("{\"data\": [], \"links\": {}, \"meta\": {\"cursor\": 0, \"totalLength\": 0}}")))
                .isEqualTo(Verdict.FREE);
    }

    @Test
    void theBusyStatusesAreConfigurable() {
        probe = new RunStateProbe(robotServer.url("/runs").toString(), java.util.Set.of("idle"), Duration.ofMillis(500));
        assertThat(answer(json(runs("abc", "idle"))).state()).isEqualTo(Verdict.State.BUSY);
        assertThat(answer(json(runs("abc", "running")))).isEqualTo(Verdict.FREE);
    }

    @Test
    void anErrorOrNoAnswerIsUnknownSayingWhich() {
        Verdict err = answer(json("{\"errors\": [{\"id\": \"UncategorizedError\", \"title\": \"Internal error\"}]}")
                .setResponseCode(500));
        assertThat(err.state()).isEqualTo(Verdict.State.UNKNOWN);
        assertThat(err.reason()).isEqualTo("busy-url " + robotServer.url("/runs") + " answered HTTP 500");
        Verdict silent = answer(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
        assertThat(silent.state()).isEqualTo(Verdict.State.UNKNOWN);
        assertThat(silent.reason()).startsWith("busy-url " + robotServer.url("/runs") + " did not answer (");
    }

    @Test
    void theGateWaitsOutAnUnknownRobotServerThenProceedsAndSaysSo() {
        UpdateGate gate = new UpdateGate(new UpdateGate.Config(null, null, robotServer.url("/runs").toString(), null,
                Duration.ofMillis(500), List.of(), Duration.ofMinutes(5), null));
        Instant t0 = Instant.parse("2026-11-29T14:00:00Z");
        robotServer.enqueue(new MockResponse().setResponseCode(500));
        assertThat(gate.ask(t0).state()).isEqualTo(Verdict.State.UNKNOWN);
        robotServer.enqueue(new MockResponse().setResponseCode(500));
        assertThat(gate.ask(t0.plus(Duration.ofMinutes(4))).state()).isEqualTo(Verdict.State.UNKNOWN);
        robotServer.enqueue(new MockResponse().setResponseCode(500));
        assertThat(gate.ask(t0.plus(Duration.ofMinutes(5)))).isEqualTo(Verdict.FREE);
        robotServer.enqueue(json(runs("abc", "running")));
        assertThat(gate.ask(t0.plus(Duration.ofMinutes(6))).state()).as("an answer counts again at once")
                .isEqualTo(Verdict.State.BUSY);
    }
}
