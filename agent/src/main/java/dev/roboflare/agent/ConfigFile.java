package dev.roboflare.agent;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine;

/**
 * The config file: {@code key=value} lines (Java properties: {@code #} comments), keys are the long flag names
 * without dashes (e.g. {@code control-plane=https://cp.example}). Flags given on the command line win. An
 * unknown key is an error, so a typo does not silently fall back to a default. A key that takes several values
 * (trusted-key) may be comma-separated or repeated on several lines; any other key given twice is an error, since
 * only one of the two could win.
 */
final class ConfigFile implements CommandLine.IDefaultValueProvider {
    private final Properties props;

    /**
     * @param multiValueKeys the keys that may repeat, each with the separator its option splits on (a repeated line
     *                       is joined with it: "," for lists, ";" for values that contain commas)
     */
    ConfigFile(Path file, Set<String> knownKeys, Map<String, String> multiValueKeys) throws IOException {
        Set<String> repeated = new TreeSet<>();
        props = new Properties() {
            @Override
            public synchronized Object put(Object key, Object value) {
                Object earlier = get(key);
                if (earlier == null) {
                    return super.put(key, value);
                }
                if (multiValueKeys.containsKey(key)) {
                    return super.put(key, earlier + multiValueKeys.get(key) + value);
                }
                repeated.add(String.valueOf(key));
                return earlier;
            }
        };
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(r);
        }
        Set<String> unknown = new TreeSet<>(props.stringPropertyNames());
        unknown.removeAll(knownKeys);
        if (!unknown.isEmpty()) {
            throw new IOException("unknown key(s) " + unknown + " in " + file + "; known keys: "
                    + new TreeSet<>(knownKeys));
        }
        if (!repeated.isEmpty()) {
            throw new IOException("key(s) " + repeated + " given more than once in " + file + "; keep one line each "
                    + "(only " + new TreeSet<>(multiValueKeys.keySet()) + " may repeat)");
        }
    }

    @Override
    public String defaultValue(CommandLine.Model.ArgSpec argSpec) {
        if (argSpec instanceof CommandLine.Model.OptionSpec o) {
            String v = props.getProperty(o.longestName().replaceFirst("^-+", ""));
            return v == null ? null : v.trim();
        }
        return null;
    }
}
