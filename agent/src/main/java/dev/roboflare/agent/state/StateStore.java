package dev.roboflare.agent.state;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.roboflare.agent.log.Log;
import dev.roboflare.protocol.WireJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/** Reads and writes STATE/state.json (snake_case JSON, atomic write + fsync). */
public final class StateStore {
    private static final ObjectMapper JSON = WireJson.lenient().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path file;

    public StateStore(Path stateDir) {
        this.file = stateDir.resolve("state.json");
    }

    public Path file() {
        return file;
    }

    /**
     * The persisted state, or an empty one on first start. A corrupt file is moved aside with a loud line and
     * the agent starts from an empty state instead of crash-looping.
     */
    public AgentState load() throws IOException {
        if (!Files.exists(file)) {
            return AgentState.empty();
        }
        try {
            AgentState s = JSON.readValue(file.toFile(), AgentState.class);
            return s == null ? AgentState.empty() : s;
        } catch (IOException e) {
            Path aside = file.resolveSibling("state.json.corrupt-" + Instant.now().toEpochMilli());
            Files.move(file, aside);
            Log.error().kv("step", "load-state").kv("outcome", "corrupt").kv("moved_to", aside)
                    .msg("state.json could not be read (" + e.getMessage().lines().findFirst().orElse("")
                            + "); moved aside, starting from an empty state")
                    .emit();
            return AgentState.empty();
        }
    }

    public void save(AgentState state) throws IOException {
        AtomicFiles.write(file, JSON.writeValueAsBytes(state));
    }
}
