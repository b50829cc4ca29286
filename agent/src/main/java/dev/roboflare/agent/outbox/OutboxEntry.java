package dev.roboflare.agent.outbox;

import dev.roboflare.protocol.AgentApi;

/** One event waiting to be delivered: which deployment it belongs to, its sequence number, and the wire event. */
public record OutboxEntry(long seq, String deploymentId, AgentApi.Event event) {
}
