package dev.roboflare.agent.executor.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import dev.roboflare.agent.executor.RejectedArtifactException;
import dev.roboflare.protocol.AgentApi;
import dev.roboflare.protocol.ArtifactKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The executor's refusals that need no running engine. */
class ContainerExecutorTest {
    @TempDir
    Path dir;

    @Test
    void anEngineThatDoesNotAnswerFailsTheInstallWithTheReasonAndWritesNothing() throws Exception {
        String host = "unix://" + dir.resolve("no-engine.sock");
        var cfg = DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(host).build();
        ContainerExecutor ex = new ContainerExecutor(dir.resolve("state"), ExecutorSelection.client(cfg, Duration.ofSeconds(5)),
                host);
        Path archive = dir.resolve("img.tar");
        Files.write(archive, TestEngine.baseArchive());
        assertThatThrownBy(() -> ex.install(dev.roboflare.agent.state.DeploymentRecord.of(deployment("{}")), archive)).isInstanceOf(RejectedArtifactException.class)
                .hasMessageContaining("the container engine at " + host + " did not answer")
                .hasMessageContaining("the running app is untouched");
        assertThat(ex.releaseDir("rel-1")).doesNotExist();
        assertThat(ExecutorSelection.ping(cfg)).isNotNull();
    }

    @Test
    void theJdkPingAgreesWithDockerJavaOnTheRealEngine() {
        TestEngine engine = TestEngine.require();
        assertThat(EnginePing.ping(engine.host, Duration.ofSeconds(5))).isNull();
    }

    @Test
    void aCorruptArchiveIsRejectedBeforeTheEngineSeesIt() throws Exception {
        Path archive = dir.resolve("img.tar");
        Files.write(archive, new byte[] {1, 2, 3, 4, 5});
        assertThatThrownBy(() -> ImageArchive.imageId(archive)).isInstanceOf(RejectedArtifactException.class)
                .hasMessageContaining("not an image archive");
    }

    @Test
    void anArchiveWithAChangedLayerIsRejectedBeforeTheEngineSeesIt() throws Exception {
        byte[] good = TestEngine.baseArchive();
        Path intact = dir.resolve("intact.tar");
        Files.write(intact, good);
        assertThat(ImageArchive.imageId(intact)).startsWith("sha256:");
        byte[] changed = good.clone();
        int at = indexOf(changed, "bin/".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 4096);
        assertThat(at).as("a file name inside the layer").isPositive();
        changed[at] = 'B'; // one byte inside the layer's own tar: the outer tar stays readable
        Path archive = dir.resolve("changed.tar");
        Files.write(archive, changed);
        assertThatThrownBy(() -> ImageArchive.imageId(archive)).isInstanceOf(RejectedArtifactException.class)
                .hasMessageContaining("its layer ").hasMessageContaining("not the sha256:")
                .hasMessageContaining("its image config lists (changed or damaged)");
    }

    /** Where {@code what} first occurs in {@code in} at or after {@code from}; -1 if nowhere. */
    private static int indexOf(byte[] in, byte[] what, int from) {
        outer:
        for (int i = from; i <= in.length - what.length; i++) {
            for (int j = 0; j < what.length; j++) {
                if (in[i + j] != what[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void manifestsMustPinPulledImagesByDigest() throws Exception {
        ObjectMapper json = new ObjectMapper();
        assertThatThrownBy(() -> ContainerSpec.from(json.readTree("{\"image\": \"registry/app:latest\"}")))
                .hasMessageContaining("pinned by digest");
        assertThatThrownBy(() -> ContainerSpec.from(json.readTree("{\"ports\": [\"http\"]}")))
                .hasMessageContaining("HOST:CONTAINER");
        ContainerSpec s = ContainerSpec.from(json.readTree("{\"cmd\": [\"/bin/app\"], \"env\": {\"A\": \"1\"}, "
                + "\"ports\": [\"8080:80\"], \"binds\": [\"/srv:/data:ro\"]}"));
        assertThat(s.env()).containsExactly("A=1");
        assertThat(s.cmd()).containsExactly("/bin/app");
    }

    private static AgentApi.Deployment deployment(String manifest) throws Exception {
        return new AgentApi.Deployment("dep-1", new AgentApi.Release("rel-1", "1.0.0", new ObjectMapper().readTree(manifest)),
                new AgentApi.Artifact("art-1", ArtifactKind.CONTAINER_IMAGE, "img", "0".repeat(64), 1, "http://x"));
    }
}
