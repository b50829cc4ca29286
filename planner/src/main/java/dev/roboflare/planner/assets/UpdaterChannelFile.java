package dev.roboflare.planner.assets;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import okhttp3.HttpUrl;

/**
 * An electron-updater channel file (latest.yml, alpha-mac.yml, ...): the {@code version} it points
 * the desktop app at and the files it offers ({@code files[].url} and {@code path}, resolved
 * against the YAML's URL). Read line by line: the format is flat and generated, so no YAML library.
 */
record UpdaterChannelFile(Optional<String> version, List<String> urls) {

    static UpdaterChannelFile parse(String text, HttpUrl yamlUrl) {
        Optional<String> version = Optional.empty();
        Set<String> urls = new LinkedHashSet<>();
        for (String raw : text.split("\\R")) {
            if (raw.isBlank() || raw.trim().startsWith("#")) {
                continue;
            }
            boolean topLevel = !Character.isWhitespace(raw.charAt(0)) && !raw.startsWith("-");
            String line = raw.trim();
            if (line.startsWith("- ")) {
                line = line.substring(2).trim();
            }
            if (topLevel && line.startsWith("version:")) {
                version = Optional.of(unquote(line.substring("version:".length())));
            } else if (line.startsWith("url:") || (topLevel && line.startsWith("path:"))) {
                String file = unquote(line.substring(line.indexOf(':') + 1));
                HttpUrl resolved = yamlUrl.resolve(file);
                if (!file.isEmpty() && resolved != null) {
                    urls.add(resolved.toString());
                }
            }
        }
        return new UpdaterChannelFile(version.filter(v -> !v.isEmpty()), new ArrayList<>(urls));
    }

    private static String unquote(String value) {
        String v = value.trim();
        if (v.length() >= 2 && (v.startsWith("'") && v.endsWith("'") || v.startsWith("\"") && v.endsWith("\""))) {
            v = v.substring(1, v.length() - 1);
        }
        return v.trim();
    }
}
