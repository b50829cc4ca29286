package dev.roboflare.agent.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How to run a release, from its manifest_json: {@code {"entrypoint": ["bin/app", "arg"], "env": {"K": "V"}}}.
 * A relative entrypoint is resolved against the release directory (which is also the working directory); an
 * absolute one (e.g. /usr/bin/python3) is used as is.
 */
public record AppCommand(List<String> entrypoint, Map<String, String> env) {

    /** Reads the manifest; throws with an operator-facing reason when it is not usable. */
    public static AppCommand from(JsonNode manifest) {
        if (manifest == null || !manifest.isObject()) {
            throw new IllegalArgumentException("release manifest_json must be an object like "
                    + "{\"entrypoint\": [\"bin/app\"]}");
        }
        JsonNode ep = manifest.get("entrypoint");
        if (ep == null || !ep.isArray() || ep.isEmpty()) {
            throw new IllegalArgumentException("release manifest_json has no \"entrypoint\" array "
                    + "(expected e.g. {\"entrypoint\": [\"bin/app\", \"--flag\"]})");
        }
        List<String> args = new ArrayList<>();
        for (JsonNode a : ep) {
            if (!a.isTextual()) {
                throw new IllegalArgumentException("release manifest_json \"entrypoint\" must contain only strings");
            }
            args.add(a.asText());
        }
        if (args.get(0).isBlank()) {
            throw new IllegalArgumentException("release manifest_json \"entrypoint\"[0] is empty");
        }
        Map<String, String> env = new LinkedHashMap<>();
        JsonNode e = manifest.get("env");
        if (e != null && !e.isNull()) {
            if (!e.isObject()) {
                throw new IllegalArgumentException("release manifest_json \"env\" must be an object of strings");
            }
            e.fields().forEachRemaining(f -> env.put(f.getKey(), f.getValue().isTextual()
                    ? f.getValue().asText() : f.getValue().toString()));
        }
        return new AppCommand(List.copyOf(args), env);
    }

    /** The program to execute, resolved against the release directory when relative. */
    public Path program(Path releaseDir) {
        Path p = Path.of(entrypoint.get(0));
        return p.isAbsolute() ? p : releaseDir.resolve(p).normalize();
    }
}
