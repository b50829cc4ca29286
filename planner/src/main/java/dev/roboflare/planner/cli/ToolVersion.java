package dev.roboflare.planner.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;

/** The planner's own version, filtered into a resource at build time. */
final class ToolVersion implements CommandLine.IVersionProvider {
    static String current() {
        try (InputStream in = ToolVersion.class.getResourceAsStream("/roboflare-planner.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties props = new Properties();
            props.load(in);
            return props.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    @Override
    public String[] getVersion() {
        return new String[] {"roboflare-planner " + current()};
    }
}
