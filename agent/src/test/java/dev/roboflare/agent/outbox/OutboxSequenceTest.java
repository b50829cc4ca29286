package dev.roboflare.agent.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roboflare.protocol.AgentApi;
import dev.roboflare.protocol.DeploymentStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The robot's event sequence numbers: rising across deliveries and restarts, the same on a resend. */
class OutboxSequenceTest {
    @TempDir
    Path state;

    private static AgentApi.Event event(String detail) {
        return new AgentApi.Event(UUID.randomUUID().toString(), DeploymentStatus.APPLIED, detail);
    }

    @Test
    void numbersKeepRisingAfterTheOutboxWasEmptiedAndAcrossRestarts() throws IOException {
        List<Long> sent = new ArrayList<>();
        Outbox o = new Outbox(state);
        o.enqueue("d1", event("one"));
        o.enqueue("d2", event("two"));
        assertThat(o.drain((d, e) -> {
            sent.add(e.seq());
            return 201;
        })).isTrue();
        new Outbox(state).enqueue("d3", event("three")); // an agent restart, with an empty outbox
        assertThat(new Outbox(state).drain((d, e) -> {
            sent.add(e.seq());
            return 201;
        })).isTrue();
        assertThat(sent).containsExactly(1L, 2L, 3L);
        assertThat(new Outbox(state).lastSeq()).isEqualTo(3);
    }

    @Test
    void aResendCarriesTheSameNumber() throws IOException {
        List<Long> sent = new ArrayList<>();
        Outbox o = new Outbox(state);
        o.enqueue("d1", event("one"));
        o.drain((d, e) -> {
            sent.add(e.seq());
            throw new IOException("link down");
        });
        new Outbox(state).drain((d, e) -> {
            sent.add(e.seq());
            return 201;
        });
        assertThat(sent).containsExactly(1L, 1L);
    }

    @Test
    void anEntryWrittenBeforeSeqWasOnTheWireIsSentWithItsFileNumber() throws IOException {
        Path dir = Files.createDirectories(state.resolve("outbox"));
        String id = UUID.randomUUID().toString();
        Files.writeString(dir.resolve(String.format("%010d-%s.json", 7, id)), "{\"seq\": 7, \"deployment_id\": \"d7\", "
                + "\"event\": {\"event_id\": \"" + id + "\", \"status\": \"failed\", \"detail\": \"old\"}}");
        List<AgentApi.Event> sent = new ArrayList<>();
        new Outbox(state).drain((d, e) -> {
            sent.add(e);
            return 201;
        });
        assertThat(sent).extracting(AgentApi.Event::seq).containsExactly(7L);
        new Outbox(state).enqueue("d8", event("next"));
        assertThat(new Outbox(state).pending()).extracting(OutboxEntry::seq).containsExactly(8L);
    }
}
