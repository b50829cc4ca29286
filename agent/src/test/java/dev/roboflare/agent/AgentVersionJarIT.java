package dev.roboflare.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The packaged jar knows its own version from its manifest (Maven's project version), not from a constant. Runs in
 * the shaded-jar execution (integration-test phase), which sets both properties; the unit-test execution only sees
 * it when -Dtest names it, before the jar exists.
 */
class AgentVersionJarIT {
    @Test
    @EnabledIfSystemProperty(named = "roboflare.agent.jar", matches = ".+")
    void thePackagedAgentReportsTheProjectVersion() throws Exception {
        String jar = System.getProperty("roboflare.agent.jar");
        String expected = System.getProperty("roboflare.agent.version");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar,
                "--version").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(out).isEqualTo("roboflare-agent " + expected);
        assertThat(expected).isNotEqualTo(AgentVersion.UNPACKAGED);
    }
}
