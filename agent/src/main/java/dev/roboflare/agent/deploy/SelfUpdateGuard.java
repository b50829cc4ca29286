package dev.roboflare.agent.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roboflare.protocol.AgentApi;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The agent never updates itself (a botched app push must not brick the device): a release marked as the agent,
 * an artifact named roboflare-agent, or an entrypoint that runs the agent's own jar is refused.
 */
public final class SelfUpdateGuard {
    static final String AGENT_NAME = "roboflare-agent";
    private final Path ownJar;

    /** {@code ownJar}: the running agent's jar (null when not run from a jar, e.g. in tests). */
    public SelfUpdateGuard(Path ownJar) {
        this.ownJar = ownJar;
    }

    /** Null when the deployment is an ordinary app; otherwise the reason for the failed event. */
    public String refusal(AgentApi.Deployment d) {
        String never = "; the agent never updates itself (update it through its own package)";
        JsonNode m = d.release().manifestJson();
        if (m != null && m.path("agent").asBoolean(false)) {
            return "release " + d.release().semver() + " is marked as the agent (manifest \"agent\": true)" + never;
        }
        String name = d.artifact().name();
        if (name != null && (name.equalsIgnoreCase(AGENT_NAME) || name.toLowerCase().startsWith(AGENT_NAME + "."))) {
            return "artifact '" + name + "' is the agent itself" + never;
        }
        JsonNode ep = m == null ? null : m.get("entrypoint");
        if (ep != null && ep.isArray()) {
            for (JsonNode a : ep) {
                String arg = a.asText("");
                if (pointsAtOwnJar(arg)) {
                    return "the entrypoint runs the agent's own jar ('" + arg + "')" + never;
                }
            }
        }
        return null;
    }

    private boolean pointsAtOwnJar(String arg) {
        if (arg.endsWith(AGENT_NAME + ".jar")) {
            return true;
        }
        if (ownJar == null || arg.isEmpty()) {
            return false;
        }
        try {
            Path p = Path.of(arg);
            return p.isAbsolute() && Files.exists(p) && Files.isSameFile(p, ownJar);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
