package dev.roboflare.agent;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine;

/**
 * The config file: {@code key=value} lines (Java properties: {@code #} comments), keys are the long flag names
 * without dashes (e.g. {@code control-plane=https://cp.example}). Flags given on the command line win. An
 * unknown key is an error, so a typo does not silently fall back to a default.
 */
final class ConfigFile implements CommandLine.IDefaultValueProvider {
    private final Properties props = new Properties();

    ConfigFile(Path file, Set<String> knownKeys) throws IOException {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(r);
        }
        Set<String> unknown = new TreeSet<>(props.stringPropertyNames());
        unknown.removeAll(knownKeys);
        if (!unknown.isEmpty()) {
            throw new IOException("unknown key(s) " + unknown + " in " + file + "; known keys: "
                    + new TreeSet<>(knownKeys));
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
