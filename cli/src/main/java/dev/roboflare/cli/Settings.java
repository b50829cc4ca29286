package dev.roboflare.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the control plane is and which operator token to send. Flags win over the environment
 * ({@code ROBOFLARE_URL}, {@code ROBOFLARE_TOKEN}, {@code ROBOFLARE_TOKEN_FILE}), which wins over the config file
 * ({@code --config}, {@code ROBOFLARE_CONFIG}, or {@code ~/.config/roboflare/config}: {@code key=value} lines with
 * keys {@code url}, {@code token}, {@code token-file}; {@code #} starts a comment).
 */
public record Settings(String url, String token) {
    public static final String DEFAULT_URL = "http://127.0.0.1:8080";

    public static Settings resolve(Session session, String urlFlag, String tokenFlag, Path tokenFileFlag, Path configFlag) {
        Path configFile = configFile(session, configFlag);
        Map<String, String> config = readConfig(configFile, configFlag != null || session.env("ROBOFLARE_CONFIG") != null);
        String url = first(urlFlag, session.env("ROBOFLARE_URL"), config.get("url"), DEFAULT_URL);
        String token = tokenFlag;
        if (token == null && tokenFileFlag != null) {
            token = readToken(tokenFileFlag, "--token-file");
        }
        if (token == null) {
            token = session.env("ROBOFLARE_TOKEN");
        }
        if (token == null && session.env("ROBOFLARE_TOKEN_FILE") != null) {
            token = readToken(Path.of(session.env("ROBOFLARE_TOKEN_FILE")), "ROBOFLARE_TOKEN_FILE");
        }
        if (token == null) {
            token = config.get("token");
        }
        if (token == null && config.get("token-file") != null) {
            token = readToken(Path.of(config.get("token-file")), "token-file in " + configFile);
        }
        while (url.endsWith("/")) {
            url = url.substring(0, url.length() - 1);
        }
        if (!url.startsWith("http://") && !url.startsWith("https://")) {
            throw new CliException("control-plane URL '" + url + "' must start with http:// or https://");
        }
        return new Settings(url, token);
    }

    /** The token, or a one-line explanation of the three places it can come from. */
    public String requireToken() {
        if (token == null || token.isBlank()) {
            throw new CliException("no operator token: pass --token or --token-file, set ROBOFLARE_TOKEN, or put "
                    + "token=... in ~/.config/roboflare/config (the control plane writes it to DATA_DIR/operator-token)");
        }
        return token.strip();
    }

    static Path configFile(Session session, Path configFlag) {
        if (configFlag != null) {
            return configFlag;
        }
        if (session.env("ROBOFLARE_CONFIG") != null) {
            return Path.of(session.env("ROBOFLARE_CONFIG"));
        }
        String xdg = session.env("XDG_CONFIG_HOME");
        Path base = xdg != null ? Path.of(xdg) : session.home().resolve(".config");
        return base.resolve("roboflare").resolve("config");
    }

    private static Map<String, String> readConfig(Path file, boolean mustExist) {
        Map<String, String> values = new LinkedHashMap<>();
        if (!Files.exists(file)) {
            if (mustExist) {
                throw new CliException("config file " + file + " does not exist");
            }
            return values;
        }
        try {
            int n = 0;
            for (String line : Files.readAllLines(file)) {
                n++;
                String t = line.strip();
                if (t.isEmpty() || t.startsWith("#")) {
                    continue;
                }
                int eq = t.indexOf('=');
                if (eq < 0) {
                    throw new CliException(file + " line " + n + ": expected key=value (keys: url, token, token-file)");
                }
                String key = t.substring(0, eq).strip();
                if (!key.equals("url") && !key.equals("token") && !key.equals("token-file")) {
                    throw new CliException(file + " line " + n + ": unknown key '" + key
                            + "'; the keys are url, token and token-file");
                }
                values.put(key, t.substring(eq + 1).strip());
            }
        } catch (IOException e) {
            throw new CliException("cannot read config file " + file + ": " + e.getMessage(), e);
        }
        return values;
    }

    private static String readToken(Path file, String from) {
        try {
            String t = Files.readString(file).strip();
            if (t.isEmpty()) {
                throw new CliException("the token file " + file + " (" + from + ") is empty");
            }
            return t;
        } catch (IOException e) {
            throw new CliException("cannot read the token file " + file + " (" + from + "): " + e, e);
        }
    }

    private static String first(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v.strip();
            }
        }
        return null;
    }
}
