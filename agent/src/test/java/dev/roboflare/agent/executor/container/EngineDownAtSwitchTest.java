package dev.roboflare.agent.executor.container;

import dev.roboflare.agent.executor.ExecutorRegistry;
import dev.roboflare.agent.state.DeploymentRecord;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import dev.roboflare.agent.deploy.DeployContext;
import dev.roboflare.agent.deploy.DeploymentMachine;
import dev.roboflare.agent.deploy.PauseHook;
import dev.roboflare.agent.deploy.SelfUpdateGuard;
import dev.roboflare.agent.download.ArtifactDownloader;
import dev.roboflare.agent.launcher.AppLauncher;
import dev.roboflare.agent.state.AppRecord;
import dev.roboflare.agent.launcher.AppStatus;
import dev.roboflare.agent.outbox.OutboxEntry;
import dev.roboflare.agent.outbox.Outbox;
import dev.roboflare.agent.state.AgentState;
import dev.roboflare.agent.state.InFlight;
import dev.roboflare.agent.state.ReleaseRecord;
import dev.roboflare.agent.state.StateStore;
import dev.roboflare.protocol.AgentApi;
import dev.roboflare.protocol.ArtifactKind;
import dev.roboflare.protocol.DeploymentStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine stops answering between the image load and the switch: the deployment fails with the reason and the
 * running app is never stopped (no engine needed: the engine is a socket nobody listens on).
 */
class EngineDownAtSwitchTest {
    @TempDir
    Path dir;

    @Test
    void anUnreachableEngineFailsTheSwitchAndLeavesTheOldAppAlone() throws Exception {
        Path state = dir.resolve("state");
        String host = "unix://" + dir.resolve("gone.sock");
        var cfg = DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(host).build();
        ContainerExecutor executor = new ContainerExecutor(state, ExecutorSelection.client(cfg, Duration.ofSeconds(5)), host);
        Path newDir = executor.releaseDir("rel-2");
        Files.createDirectories(newDir);
        new InstalledImage("sha256:" + "a".repeat(64), "roboflare/app:2.0.0", "archive", "dep-2").write(newDir);

        ReleaseRecord v1 = new ReleaseRecord("rel-1", "1.0.0", executor.releaseDir("rel-1").toString(), null);
        AppRecord running = new AppRecord("docker", "rel-1", "1.0.0", 42, "t", null, null, "c0ffee");
        List<String> calls = new ArrayList<>();
        AppLauncher launcher = new AppLauncher() {
            public AppRecord start(ReleaseRecord r) {
                calls.add("start " + r.id());
                return running;
            }

            public AppStatus status(AppRecord a) {
                return AppStatus.isRunning();
            }

            public void stop(AppRecord a) {
                calls.add("stop " + a.releaseId());
            }

            public List<String> lastLines(AppRecord a, int n) {
                return List.of();
            }
        };
        AgentApi.Deployment d = new AgentApi.Deployment("dep-2",
                new AgentApi.Release("rel-2", "2.0.0", new ObjectMapper().readTree("{}")),
                new AgentApi.Artifact("art-2", ArtifactKind.CONTAINER_IMAGE, "img", "0".repeat(64), 1, "http://x"));
        StateStore store = new StateStore(state);
        AgentState s = AgentState.empty().withReleases(v1, null).withApp(running)
                .withInFlight(InFlight.start(DeploymentRecord.of(d), "switch").withPrior(v1, null));
        store.save(s);
        Outbox outbox = new Outbox(state);
        DeployContext ctx = new DeployContext(store, store.load(), ExecutorRegistry.of(executor), launcher,
                new ArtifactDownloader(new OkHttpClient(), state.resolve("downloads"), () -> { }), outbox,
                new SelfUpdateGuard(null), Duration.ofSeconds(1));

        assertThat(new DeploymentMachine(ctx, new PauseHook(null), 4).resume()).isEqualTo(DeploymentMachine.End.DONE);

        assertThat(calls).as("the running app was neither stopped nor replaced").isEmpty();
        List<OutboxEntry> events = outbox.pending();
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.event().status()).isEqualTo(DeploymentStatus.FAILED);
            assertThat(e.event().detail()).contains("the container engine at " + host + " does not answer /_ping")
                    .contains("the running app was left as it was");
        });
        AgentState after = store.load();
        assertThat(after.current().id()).isEqualTo("rel-1");
        assertThat(after.app().unit()).isEqualTo("c0ffee");
    }
}
