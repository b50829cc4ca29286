package dev.roboflare.planner.assets;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import okhttp3.HttpUrl;

/**
 * Looks for a version in a releases.json. The seeds give the files but not their layout, so this
 * does not assume one: the version counts as present when it is an object key at any depth (e.g.
 * {@code {"production": {"8.5.0": {...}}}}) or the {@code "version"} value of an object. URLs are the
 * string values under that entry that are http(s) URLs, or file names under a URL-ish key (resolved
 * against the manifest's own URL).
 */
final class ReleasesManifest {
    record Hit(String where, List<String> urls) {
    }

    private ReleasesManifest() {
    }

    static List<Hit> find(JsonNode root, String version, HttpUrl manifestUrl) {
        List<Hit> hits = new ArrayList<>();
        walk(root, "", version, manifestUrl, hits);
        return hits;
    }

    private static void walk(JsonNode node, String path, String version, HttpUrl base, List<Hit> hits) {
        if (node.isObject()) {
            if (node.path("version").isTextual() && version.equals(node.path("version").asText())) {
                hits.add(new Hit(path.isEmpty() ? "(top level)" : path, urls(node, base)));
                return;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                String child = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
                if (field.getKey().equals(version)) {
                    hits.add(new Hit(path.isEmpty() ? "(top level)" : path, urls(field.getValue(), base)));
                } else {
                    walk(field.getValue(), child, version, base, hits);
                }
            }
        } else if (node.isArray()) {
            int i = 0;
            for (JsonNode element : node) {
                if (element.isTextual() && version.equals(element.asText())) {
                    hits.add(new Hit(path + "[" + i + "]", List.of()));
                } else {
                    walk(element, path + "[" + i + "]", version, base, hits);
                }
                i++;
            }
        }
    }

    static List<String> urls(JsonNode entry, HttpUrl base) {
        Set<String> found = new LinkedHashSet<>();
        collect(entry, null, base, found);
        return List.copyOf(found);
    }

    private static void collect(JsonNode node, String key, HttpUrl base, Set<String> found) {
        if (node.isTextual()) {
            String text = node.asText().trim();
            if (text.startsWith("http://") || text.startsWith("https://")) {
                found.add(text);
            } else if (key != null && looksLikeFileKey(key) && !text.isEmpty() && !text.contains(" ")) {
                HttpUrl resolved = base.resolve(text);
                if (resolved != null) {
                    found.add(resolved.toString());
                }
            }
        } else if (node.isObject()) {
            node.fields().forEachRemaining(field -> collect(field.getValue(), field.getKey(), base, found));
        } else if (node.isArray()) {
            node.forEach(element -> collect(element, key, base, found));
        }
    }

    private static boolean looksLikeFileKey(String key) {
        String k = key.toLowerCase(java.util.Locale.ROOT);
        return k.contains("url") || k.equals("path") || k.endsWith("image") || k.equals("system") || k.equals("file");
    }
}
