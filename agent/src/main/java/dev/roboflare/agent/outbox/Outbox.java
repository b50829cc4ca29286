package dev.roboflare.agent.outbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roboflare.agent.log.Log;
import dev.roboflare.agent.files.AtomicFiles;
import dev.roboflare.protocol.AgentApi;
import dev.roboflare.agent.state.AgentJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Events on disk until the control plane has them (STATE/outbox/&lt;seq&gt;-&lt;event id&gt;.json, one fsynced file
 * per event). An event is written here before anything is sent, so a crash or a dead link loses nothing; a replay
 * sends the same event_id, which the control plane ignores. Delivery never changes what the agent does on the robot.
 */
public final class Outbox {
    /** Sends one event; answers the HTTP status (IOException when the control plane cannot be reached). */
    @FunctionalInterface
    public interface Sender {
        int send(String deploymentId, AgentApi.Event event) throws IOException;
    }

    private static final ObjectMapper JSON = AgentJson.lenient();
    /** The last sequence number handed out, so numbers keep rising after the outbox was emptied. */
    private static final String SEQ_FILE = "last-seq";
    private final Path dir;

    public Outbox(Path stateDir) {
        this.dir = stateDir.resolve("outbox");
    }

    /** Writes the event durably; the same event_id twice is stored once. */
    public synchronized void enqueue(String deploymentId, AgentApi.Event event) throws IOException {
        Files.createDirectories(dir);
        List<OutboxEntry> all = pending();
        if (all.stream().anyMatch(e -> e.event().eventId().equals(event.eventId()))) {
            return;
        }
        long seq = Math.max(lastSeq(), all.stream().mapToLong(OutboxEntry::seq).max().orElse(0)) + 1;
        OutboxEntry entry = new OutboxEntry(seq, deploymentId,
                new AgentApi.Event(event.eventId(), event.status(), event.detail(), seq));
        // the event first: if the disk is full it is not written and its number is not used up (no false gap);
        // a pending entry also counts for the next number, so a crash between the two writes reuses nothing
        AtomicFiles.write(dir.resolve(String.format("%010d-%s.json", seq, event.eventId())),
                JSON.writeValueAsBytes(entry));
        AtomicFiles.write(dir.resolve(SEQ_FILE), Long.toString(seq).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    /** Pending events, oldest first. An unreadable file is moved aside (and logged), never retried forever. */
    public synchronized List<OutboxEntry> pending() throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".json")
                    && !p.getFileName().toString().startsWith(".")).sorted(Comparator.comparing(Path::getFileName))
                    .toList();
        }
        List<OutboxEntry> out = new ArrayList<>();
        for (Path f : files) {
            try {
                out.add(JSON.readValue(f.toFile(), OutboxEntry.class));
            } catch (IOException e) {
                Path aside = f.resolveSibling(f.getFileName() + ".corrupt");
                Files.move(f, aside);
                Log.error().kv("step", "outbox").kv("outcome", "corrupt").kv("file", aside)
                        .msg("an outbox file could not be read; moved aside").emit();
            }
        }
        out.sort(Comparator.comparingLong(OutboxEntry::seq));
        return out;
    }

    /** The last sequence number handed out (0 before the first event). */
    public synchronized long lastSeq() throws IOException {
        Path f = dir.resolve(SEQ_FILE);
        if (!Files.exists(f)) {
            return 0;
        }
        try {
            return Long.parseLong(Files.readString(f).strip());
        } catch (NumberFormatException e) {
            Log.error().kv("step", "outbox").kv("outcome", "corrupt").kv("file", f)
                    .msg("the sequence counter could not be read; continuing from the pending events").emit();
            return 0;
        }
    }

    public int depth() throws IOException {
        return pending().size();
    }

    /**
     * Sends pending events in order and removes each one the control plane has (201, 200 = already had it,
     * 409 = deployment already final) or can never take (404, logged as an error). Stops at the first other
     * answer or network error and returns false: the caller tries again later with backoff.
     */
    public synchronized boolean drain(Sender sender) throws IOException {
        for (OutboxEntry e : pending()) {
            int code;
            try {
                AgentApi.Event ev = e.event().seq() != null ? e.event()  // written before seq was on the wire:
                        : new AgentApi.Event(e.event().eventId(), e.event().status(), e.event().detail(), e.seq());
                code = sender.send(e.deploymentId(), ev);
            } catch (IOException x) {
                return false;
            }
            Log.Priority priority = switch (code) {
                case 200, 201 -> Log.Priority.INFO;
                case 409 -> Log.Priority.NOTICE;
                case 404 -> Log.Priority.ERROR;
                default -> null;
            };
            if (priority == null) {
                Log.warn().kv("deployment", e.deploymentId()).kv("step", "deliver").kv("outcome", "retry")
                        .kv("http", code).kv("event", e.event().eventId()).emit();
                return false;
            }
            Log.at(priority).kv("deployment", e.deploymentId()).kv("step", "deliver")
                    .kv("outcome", code == 404 ? "dropped" : "delivered").kv("status", e.event().status().wire())
                    .kv("event", e.event().eventId()).kv("seq", e.seq()).kv("http", code)
                    .msg(code == 409 ? "the control plane already has a final event for this deployment"
                            : code == 404 ? "the control plane does not know this deployment for this robot; "
                            + "event dropped" : null)
                    .emit();
            remove(e);
        }
        return true;
    }

    private void remove(OutboxEntry e) throws IOException {
        if (e.seq() > lastSeq()) { // an entry from before the counter existed: never hand its number out again
            AtomicFiles.write(dir.resolve(SEQ_FILE),
                    Long.toString(e.seq()).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        Files.deleteIfExists(dir.resolve(String.format("%010d-%s.json", e.seq(), e.event().eventId())));
        AtomicFiles.fsyncDirectory(dir);
    }
}
