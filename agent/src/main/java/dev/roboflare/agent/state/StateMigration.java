package dev.roboflare.agent.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Older state.json formats, brought up to {@link AgentState#VERSION} one step at a time on load. Never change a
 * step once released: robots in the field still hold the files it reads (fixtures in src/test/resources).
 *
 * <ul>
 *   <li>1 → 2: the in-flight deployment was the agent API's wire record ({@code release}, {@code artifact},
 *   {@code signature} objects); it becomes the agent's own flat {@link DeploymentRecord}. Phase words are
 *   unchanged (format 1 wrote the same lower-case words).</li>
 *   <li>2 → 3: nothing to convert. Format 3 adds the phase word {@code gate}, the in-flight {@code gated_since}
 *   and {@code gate_reason} and the deployment's {@code force} (all absent in format 2: never gated, not forced);
 *   the version moves so that an older agent refuses a file that may be at the gate instead of misreading it.</li>
 * </ul>
 */
final class StateMigration {
    private StateMigration() {
    }

    static JsonNode toCurrent(JsonNode tree, int version) {
        ObjectNode s = tree.deepCopy();
        if (version < 2) {
            JsonNode f = s.get("in_flight");
            if (f != null && f.isObject() && f.get("deployment") != null) {
                ((ObjectNode) f).set("deployment", deploymentFromWire(f.get("deployment")));
            }
        }
        s.put("version", AgentState.VERSION);
        return s;
    }

    private static ObjectNode deploymentFromWire(JsonNode w) {
        JsonNode r = w.path("release");
        JsonNode a = w.path("artifact");
        JsonNode sig = w.path("signature");
        ObjectNode d = JsonNodeFactory.instance.objectNode();
        d.set("id", w.get("id"));
        d.set("release_id", r.get("id"));
        d.set("semver", r.get("semver"));
        d.set("manifest", r.get("manifest_json"));
        d.set("artifact_id", a.get("id"));
        d.set("kind", a.get("kind"));
        d.set("artifact_name", a.get("name"));
        d.set("sha256", a.get("sha256"));
        d.set("size", a.get("size"));
        d.set("download_url", a.get("download_url"));
        d.set("signature_key_id", sig.get("key_id"));
        d.set("signed_statement", sig.get("statement"));
        d.set("signature", sig.get("signature"));
        return d;
    }
}
