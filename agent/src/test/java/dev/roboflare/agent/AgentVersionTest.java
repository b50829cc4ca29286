package dev.roboflare.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roboflare.agent.trust.RanReleases;
import dev.roboflare.agent.trust.ReleaseTrust;
import dev.roboflare.protocol.ReleaseKeys;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The version compared with min_agent_version comes from the jar manifest; without one it is below every release. */
class AgentVersionTest {
    @TempDir
    Path state;

    @Test
    void runFromClassesTheVersionIsUnpackagedAndMeetsNoMinimumAgentVersion() throws Exception {
        // surefire runs target/classes, which has no manifest: the clear fallback, never a made-up release number
        assertThat(AgentVersion.current()).isEqualTo(AgentVersion.UNPACKAGED);

        KeyPair key = ReleaseKeys.generate();
        ReleaseTrust trust = new ReleaseTrust(List.of(key.getPublic()), null, AgentVersion.current(),
                Clock.systemUTC(), new RanReleases(state));
        assertThat(trust.refusal(ConfigFileTrustedKeysTest.signedBy(key, "0.0.0"), Set.of()))
                .contains("needs agent 0.0.0 or newer; this agent is 0.0.0-unpackaged");
        assertThat(trust.refusal(ConfigFileTrustedKeysTest.signedBy(key, null), Set.of())).isNull();
    }

    @Test
    void theManifestsImplementationVersionIsTakenAsIs() {
        assertThat(AgentVersion.fromManifest("0.3.1")).isEqualTo("0.3.1");
        assertThat(AgentVersion.fromManifest(" 0.2.0-SNAPSHOT ")).isEqualTo("0.2.0-SNAPSHOT");
        assertThat(AgentVersion.fromManifest("")).isEqualTo(AgentVersion.UNPACKAGED);
        assertThat(AgentVersion.fromManifest(null)).isEqualTo(AgentVersion.UNPACKAGED);
    }
}
