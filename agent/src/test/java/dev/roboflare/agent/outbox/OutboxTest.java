package dev.roboflare.agent.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roboflare.protocol.AgentApi;
import dev.roboflare.protocol.DeploymentStatus;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutboxTest {
    @TempDir
    Path state;

    @Test
    void eventsSurviveARestartAndAReplaySendsTheSameEventId() throws IOException {
        String id1 = UUID.randomUUID().toString();
        String id2 = UUID.randomUUID().toString();
        Outbox before = new Outbox(state);
        before.enqueue("dep-1", new AgentApi.Event(id1, DeploymentStatus.APPLIED, "release 1.0.0 running as pid 1"));
        before.enqueue("dep-2", new AgentApi.Event(id2, DeploymentStatus.FAILED, "bad hash"));
        before.enqueue("dep-1", new AgentApi.Event(id1, DeploymentStatus.APPLIED, "release 1.0.0 running as pid 1"));

        Outbox after = new Outbox(state); // a new agent process
        assertThat(after.pending()).extracting(e -> e.event().eventId()).containsExactly(id1, id2);

        List<String> sent = new ArrayList<>();
        // the control plane is down: nothing is removed
        assertThat(after.drain((d, e) -> {
            sent.add(e.eventId());
            throw new IOException("connection refused");
        })).isFalse();
        assertThat(after.depth()).isEqualTo(2);
        // it answers 503 for the first: the order is kept, nothing is skipped
        assertThat(after.drain((d, e) -> {
            sent.add(e.eventId());
            return 503;
        })).isFalse();
        // back: 201, then 409 (already final) both count as delivered
        assertThat(new Outbox(state).drain((d, e) -> {
            sent.add(e.eventId());
            return e.eventId().equals(id1) ? 201 : 409;
        })).isTrue();
        assertThat(sent).containsExactly(id1, id1, id1, id2);
        assertThat(new Outbox(state).depth()).isZero();
    }

    @Test
    void unknownDeploymentIsDroppedNotRetriedForever() throws IOException {
        Outbox o = new Outbox(state);
        o.enqueue("dep-x", new AgentApi.Event(UUID.randomUUID().toString(), DeploymentStatus.FAILED, "x"));
        assertThat(o.drain((d, e) -> 404)).isTrue();
        assertThat(o.depth()).isZero();
    }
}
