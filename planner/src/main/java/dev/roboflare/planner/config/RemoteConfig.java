package dev.roboflare.planner.config;

import dev.roboflare.planner.PlanningException;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where each stack repository is cloned from, and which GitHub repository compare links point at.
 *
 * <p>A properties file overrides the defaults:
 * <pre>
 * remote.default=https://github.com/Opentrons/{repo}.git
 * remote.oe-core=git@github.com:Opentrons/oe-core.git
 * </pre>
 * Without a file every repo comes from {@code https://github.com/Opentrons/<repo>.git}.
 */
public final class RemoteConfig {
    public static final String DEFAULT_TEMPLATE = "https://github.com/Opentrons/{repo}.git";
    /** Looked for inside the workspace when --config is not given. */
    public static final String WORKSPACE_FILE_NAME = "roboflare-planner.properties";

    private static final Pattern GITHUB = Pattern.compile(
            "^(?:https://github\\.com/|git@github\\.com:|ssh://git@github\\.com/)([^/]+)/([^/]+?)(?:\\.git)?/?$");

    private final String template;
    private final Map<String, String> overrides;

    RemoteConfig(String template, Map<String, String> overrides) {
        this.template = template;
        this.overrides = Map.copyOf(overrides);
    }

    public static RemoteConfig defaults() {
        return new RemoteConfig(DEFAULT_TEMPLATE, Map.of());
    }

    /** An explicit file must exist; the workspace file is optional. */
    public static RemoteConfig load(Optional<Path> explicitFile, Path workspace) {
        if (explicitFile.isPresent()) {
            if (!Files.isRegularFile(explicitFile.get())) {
                throw new PlanningException("Remote config " + explicitFile.get() + " does not exist (given with --config)");
            }
            return read(explicitFile.get());
        }
        Path inWorkspace = workspace.resolve(WORKSPACE_FILE_NAME);
        return Files.isRegularFile(inWorkspace) ? read(inWorkspace) : defaults();
    }

    static RemoteConfig read(Path file) {
        Properties props = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            props.load(reader);
        } catch (IOException e) {
            throw new PlanningException("Cannot read remote config " + file + ": " + e.getMessage(), e);
        }
        String template = props.getProperty("remote.default", DEFAULT_TEMPLATE).trim();
        Map<String, String> overrides = new java.util.HashMap<>();
        for (String key : props.stringPropertyNames()) {
            if (key.startsWith("remote.") && !key.equals("remote.default")) {
                overrides.put(key.substring("remote.".length()), props.getProperty(key).trim());
            }
        }
        return new RemoteConfig(template, overrides);
    }

    public String urlFor(String repo) {
        return overrides.getOrDefault(repo, template.replace("{repo}", repo));
    }

    /**
     * The GitHub web address used for compare links. Remotes that are not on GitHub (mirrors, file://
     * remotes in tests) still link to the public Opentrons repository of the same name.
     */
    public String githubWebUrl(String repo) {
        Matcher m = GITHUB.matcher(urlFor(repo));
        if (m.matches()) {
            return "https://github.com/" + m.group(1) + "/" + m.group(2);
        }
        return "https://github.com/Opentrons/" + repo;
    }
}
