package dev.roboflare.agent.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.roboflare.agent.files.AtomicFiles;
import dev.roboflare.agent.log.Log;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Reads and writes STATE/state.json (snake_case JSON, atomic write + fsync). The file is a format robots keep
 * across agent upgrades: {@code version} is read first, an older version is migrated ({@link StateMigration}), a
 * newer one is refused ({@link NewerStateException}: the agent does not start rather than lose what a newer agent
 * wrote). A file that cannot be read is moved aside and the state is rebuilt from the disk ({@link StateRecovery}).
 */
public final class StateStore {
    private static final ObjectMapper JSON = AgentJson.lenient().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path file;

    public StateStore(Path stateDir) {
        this.file = stateDir.resolve("state.json");
    }

    public Path file() {
        return file;
    }

    /**
     * The persisted state; on first start an empty one; when state.json is missing or unreadable on a robot that
     * has releases, the state rebuilt from STATE/current and STATE/releases, marked as lost.
     */
    public AgentState load() throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (!Files.exists(file)) {
            if (StateRecovery.hasReleases(dir)) {
                return recovered(dir, "state.json is missing");
            }
            return AgentState.empty();
        }
        JsonNode tree;
        try {
            tree = JSON.readTree(file.toFile());
            if (tree == null || !tree.isObject()) {
                throw new IOException("not a JSON object");
            }
        } catch (IOException e) {
            return corrupt(dir, e.getMessage());
        }
        int version = tree.path("version").asInt(1);
        if (version > AgentState.VERSION) {
            throw new NewerStateException(file, version);
        }
        try {
            AgentState s = JSON.treeToValue(StateMigration.toCurrent(tree, version), AgentState.class);
            if (version < AgentState.VERSION) {
                Log.notice().kv("step", "load-state").kv("outcome", "migrated").kv("from_version", version)
                        .kv("to_version", AgentState.VERSION).msg("state.json of an older agent read; it is "
                                + "written in the current format from the next change on").emit();
            }
            return s;
        } catch (IOException | IllegalArgumentException e) {
            return corrupt(dir, e.getMessage());
        }
    }

    private AgentState corrupt(Path dir, String why) throws IOException {
        Path aside = file.resolveSibling("state.json.corrupt-" + Instant.now().toEpochMilli());
        Files.move(file, aside);
        Log.error().kv("step", "load-state").kv("outcome", "corrupt").kv("moved_to", aside)
                .msg("state.json could not be read (" + (why == null ? "" : why.lines().findFirst().orElse(""))
                        + "); moved aside").emit();
        return recovered(dir, "state.json could not be read");
    }

    private static AgentState recovered(Path dir, String why) throws IOException {
        AgentState s = StateRecovery.rebuild(dir);
        Log.error().kv("step", "load-state").kv("outcome", "rebuilt")
                .kv("current", s.current() == null ? "none" : s.current().semver())
                .kv("previous", s.previous() == null ? null : s.previous().semver())
                .msg(why + "; current and previous release rebuilt from STATE/current and STATE/releases; a "
                        + "deployment that was in flight is reported failed, not redone").emit();
        return s;
    }

    public void save(AgentState state) throws IOException {
        AtomicFiles.write(file, JSON.writeValueAsBytes(state));
    }

    /** state.json was written by a newer agent (a downgrade): the agent refuses to start rather than lose it. */
    public static final class NewerStateException extends IOException {
        public NewerStateException(Path file, int version) {
            super(file + " is format version " + version + ", newer than this agent reads (up to "
                    + AgentState.VERSION + "): it was written by a newer roboflare-agent. Install that agent "
                    + "again; or, to start over from the releases on disk, move " + file.getFileName() + " aside");
        }
    }
}
