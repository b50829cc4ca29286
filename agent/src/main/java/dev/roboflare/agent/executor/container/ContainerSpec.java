package dev.roboflare.agent.executor.container;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * How to run a container_image release, from its manifest_json:
 * <pre>
 * {"image": "registry/name:tag@sha256:…",      optional: pull by reference instead of loading the artifact
 *  "cmd": ["/bin/app", "--flag"],               optional ("command" is accepted too): the image's CMD otherwise
 *  "env": {"K": "V"},                            optional
 *  "ports": ["8080:80", "9000:9000/udp"],       optional, HOST:CONTAINER[/tcp|udp]
 *  "binds": ["/var/lib/robot:/data:ro"]}        optional, HOST:CONTAINER[:ro|rw]
 * </pre>
 * The restart policy is always "no": the agent supervises the app, the engine does not restart it.
 */
public record ContainerSpec(String image, List<String> cmd, List<String> env, List<String> ports, List<String> binds) {
    private static final Pattern PORT = Pattern.compile("\\d{1,5}:\\d{1,5}(/(tcp|udp))?");
    private static final Pattern BIND = Pattern.compile("/[^:]*:/[^:]*(:(ro|rw))?");
    /** name[:tag]@sha256:64 hex — a pull must name the exact image it wants. */
    private static final Pattern PINNED = Pattern.compile("[^@\\s]+@sha256:[0-9a-f]{64}");

    /** Reads the manifest; throws with an operator-facing reason when it is not usable. */
    public static ContainerSpec from(JsonNode m) {
        if (m == null || m.isNull()) {
            return new ContainerSpec(null, List.of(), List.of(), List.of(), List.of());
        }
        if (!m.isObject()) {
            throw new IllegalArgumentException("release manifest_json must be an object like {\"cmd\": [\"/bin/app\"]}");
        }
        String image = null;
        if (m.hasNonNull("image")) {
            image = m.get("image").asText();
            if (!PINNED.matcher(image).matches()) {
                throw new IllegalArgumentException("release manifest_json \"image\" must be pinned by digest, like "
                        + "registry/name:tag@sha256:<64 hex>, not '" + image + "'");
            }
        }
        List<String> cmd = strings(m, m.has("cmd") ? "cmd" : "command");
        List<String> env = new ArrayList<>();
        JsonNode e = m.get("env");
        if (e != null && !e.isNull()) {
            if (!e.isObject()) {
                throw new IllegalArgumentException("release manifest_json \"env\" must be an object of strings");
            }
            e.fields().forEachRemaining(f -> env.add(f.getKey() + "="
                    + (f.getValue().isTextual() ? f.getValue().asText() : f.getValue().toString())));
        }
        List<String> ports = strings(m, "ports");
        for (String p : ports) {
            if (!PORT.matcher(p).matches()) {
                throw new IllegalArgumentException("release manifest_json port '" + p + "' is not HOST:CONTAINER[/tcp|udp]");
            }
        }
        List<String> binds = strings(m, "binds");
        for (String b : binds) {
            if (!BIND.matcher(b).matches()) {
                throw new IllegalArgumentException("release manifest_json bind '" + b + "' is not /HOST:/CONTAINER[:ro|rw]");
            }
        }
        return new ContainerSpec(image, cmd, List.copyOf(env), ports, binds);
    }

    private static List<String> strings(JsonNode m, String key) {
        JsonNode a = m.get(key);
        if (a == null || a.isNull()) {
            return List.of();
        }
        if (!a.isArray()) {
            throw new IllegalArgumentException("release manifest_json \"" + key + "\" must be an array of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode x : a) {
            if (!x.isTextual()) {
                throw new IllegalArgumentException("release manifest_json \"" + key + "\" must contain only strings");
            }
            out.add(x.asText());
        }
        return List.copyOf(out);
    }
}
