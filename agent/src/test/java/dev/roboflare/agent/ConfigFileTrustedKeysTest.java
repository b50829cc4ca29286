package dev.roboflare.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roboflare.agent.trust.ReleaseTrust;
import dev.roboflare.protocol.AgentApi;
import dev.roboflare.protocol.ArtifactKind;
import dev.roboflare.protocol.ReleaseKeys;
import dev.roboflare.protocol.ReleaseStatement;
import dev.roboflare.protocol.SignedStatement;
import dev.roboflare.protocol.WireJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several trusted keys in the config file, comma-separated or one line each: any of them may sign a release. */
class ConfigFileTrustedKeysTest {
    @TempDir
    Path dir;

    final KeyPair first = ReleaseKeys.generate();
    final KeyPair second = ReleaseKeys.generate();
    final KeyPair unlisted = ReleaseKeys.generate();

    @Test
    void commaSeparatedKeysAllCount() throws Exception {
        assertSecondKeyAcceptedUnlistedRefused("trusted-key=" + pub("first", first) + "," + pub("second", second));
    }

    @Test
    void repeatedLinesAllCount() throws Exception {
        assertSecondKeyAcceptedUnlistedRefused("trusted-key=" + pub("first", first) + "\ntrusted-key="
                + pub("second", second));
    }

    @Test
    void modulesDirsRepeatInOrderAndDefaultToRoboflaresThenMenders() throws Exception {
        Path config = Files.writeString(dir.resolve("agent.conf"), "modules-dir=/opt/a,/opt/b\nmodules-dir=/opt/c\n");
        String[] args = {"--config", config.toString()};
        Main main = new Main();
        Main.commandLine(main, args).parseArgs(args);
        assertThat(main.modulesDirs()).containsExactly(Path.of("/opt/a"), Path.of("/opt/b"), Path.of("/opt/c"));
        Main plain = new Main();
        Main.commandLine(plain, new String[0]).parseArgs();
        assertThat(plain.modulesDirs()).containsExactly(Path.of("/usr/share/roboflare/modules/v3"),
                Path.of("/usr/share/mender/modules/v3"));
    }

    @Test
    void anyOtherKeyGivenTwiceIsAnErrorThatNamesIt() throws Exception {
        Path config = Files.writeString(dir.resolve("agent.conf"), "poll-interval=10s\npoll-interval=20s\n");
        assertThatThrownBy(() -> Main.commandLine(new Main(), new String[] {"--config", config.toString()}))
                .isInstanceOf(IOException.class).hasMessageContaining("[poll-interval] given more than once")
                .hasMessageContaining("trusted-key");
    }

    private void assertSecondKeyAcceptedUnlistedRefused(String trustedKeyLines) throws Exception {
        Path config = Files.writeString(dir.resolve("agent.conf"), "control-plane=http://127.0.0.1:1\n"
                + trustedKeyLines + "\n");
        String[] args = {"--config", config.toString()};
        Main main = new Main();
        Main.commandLine(main, args).parseArgs(args);
        ReleaseTrust trust = main.releaseTrust(Files.createDirectories(dir.resolve("state")), () -> null);

        assertThat(trust.keyIds()).containsExactlyInAnyOrder(ReleaseKeys.keyId(first.getPublic()),
                ReleaseKeys.keyId(second.getPublic()));
        assertThat(trust.refusal(signedBy(second), Set.of())).isNull();
        assertThat(trust.refusal(signedBy(unlisted), Set.of())).contains("which this agent does not trust");
    }

    private String pub(String name, KeyPair key) throws IOException {
        return Files.writeString(dir.resolve(name + ".pub"), ReleaseKeys.publicPem(key.getPublic())).toString();
    }

    private static AgentApi.Deployment signedBy(KeyPair key) throws Exception {
        return signedBy(key, null);
    }

    /** A deployment whose release statement {@code key} signed, needing at least {@code minAgentVersion}. */
    static AgentApi.Deployment signedBy(KeyPair key, String minAgentVersion) throws Exception {
        JsonNode manifest = WireJson.lenient().readTree("{\"entrypoint\": [\"bin/app\"]}");
        String sha = "b".repeat(64);
        ReleaseStatement s = new ReleaseStatement(ReleaseStatement.TYPE, "rel-1", "1.0.0", ArtifactKind.APP_TARBALL,
                sha, 42, ReleaseStatement.manifestSha256(manifest), Instant.now(), Instant.now().plusSeconds(600),
                minAgentVersion);
        byte[] bytes = WireJson.lenient().writeValueAsBytes(s);
        SignedStatement signed = new SignedStatement(Base64.getEncoder().encodeToString(bytes),
                Base64.getEncoder().encodeToString(ReleaseKeys.sign(key.getPrivate(), bytes)),
                ReleaseKeys.keyId(key.getPublic()));
        return new AgentApi.Deployment("dep-1", new AgentApi.Release("rel-1", "1.0.0", manifest),
                new AgentApi.Artifact("art-1", ArtifactKind.APP_TARBALL, "lab-app", sha, 42, "u"), signed);
    }
}
