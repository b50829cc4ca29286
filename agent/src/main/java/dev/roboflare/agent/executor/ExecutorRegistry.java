package dev.roboflare.agent.executor;

import dev.roboflare.agent.state.AppRecord;
import dev.roboflare.agent.state.DeploymentRecord;
import dev.roboflare.protocol.ArtifactKind;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The handler of each artifact kind, built once at start-up from the configuration. A kind without a handler
 * carries the reason a deployment of it is refused (container_image without an engine).
 */
public final class ExecutorRegistry {
    private final Map<ArtifactKind, Executor> handlers = new EnumMap<>(ArtifactKind.class);
    private final Map<ArtifactKind, String> absent = new EnumMap<>(ArtifactKind.class);

    public ExecutorRegistry(List<Executor> executors, Map<ArtifactKind, String> withoutHandler) {
        for (Executor e : executors) {
            if (handlers.put(e.kind(), e) != null) {
                throw new IllegalArgumentException("two executors for " + e.kind().wire());
            }
        }
        absent.putAll(withoutHandler);
    }

    /** A registry of these handlers; the other kinds are refused as not supported. */
    public static ExecutorRegistry of(Executor... executors) {
        return new ExecutorRegistry(List.of(executors), Map.of());
    }

    /** Null when {@code d}'s kind has a handler that accepts it; otherwise the reason for the failed event. */
    public String refusal(DeploymentRecord d) {
        ArtifactKind k = d.artifactKind();
        if (k == null) {
            return "artifact kind '" + d.kind() + "' is not known to this agent";
        }
        Executor e = handlers.get(k);
        if (e == null) {
            return absent.getOrDefault(k, k.wire() + " is not supported by this agent");
        }
        return e.refusal(d);
    }

    /** The handler of {@code d}'s kind; only asked after {@link #refusal} accepted the deployment. */
    public Executor of(DeploymentRecord d) {
        Executor e = d.artifactKind() == null ? null : handlers.get(d.artifactKind());
        if (e == null) {
            throw new IllegalStateException("no executor for artifact kind " + d.kind());
        }
        return e;
    }

    /** Null when there is no handler (a deployment refused at check still passes cleanup). */
    public Executor orNull(DeploymentRecord d) {
        return d.artifactKind() == null ? null : handlers.get(d.artifactKind());
    }

    /**
     * switch, before the running app is stopped: null, or the first handler's reason why it cannot go ahead now.
     * Every handler is asked: stopping a running container needs the engine even when a tarball comes next.
     */
    public String unavailable(DeploymentRecord d, AppRecord running) {
        for (Executor e : handlers.values()) {
            String why = e.unavailable(d, running);
            if (why != null) {
                return why;
            }
        }
        return null;
    }

    public Collection<Executor> all() {
        return handlers.values();
    }
}
