package dev.roboflare.agent.trust;

import dev.roboflare.agent.preflight.DiskPreflight;
import static org.assertj.core.api.Assertions.assertThat;

import dev.roboflare.agent.Agent;
import dev.roboflare.agent.client.ControlPlaneClient;
import dev.roboflare.agent.deploy.DeployContext;
import dev.roboflare.agent.deploy.DeploymentMachine;
import dev.roboflare.agent.deploy.PauseHook;
import dev.roboflare.agent.deploy.SelfUpdateGuard;
import dev.roboflare.agent.download.ArtifactDownloader;
import dev.roboflare.agent.executor.tarball.TarballExecutor;
import dev.roboflare.agent.launcher.DetachedProcessLauncher;
import dev.roboflare.agent.outbox.Outbox;
import dev.roboflare.agent.state.StateStore;
import dev.roboflare.agent.testing.FakeControlPlane;
import dev.roboflare.agent.testing.Tarballs;
import dev.roboflare.protocol.ArtifactKind;
import dev.roboflare.protocol.DeploymentStatus;
import dev.roboflare.protocol.ReleaseKeys;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent loop with a trusted key: an unsigned release is failed in the check step, with the reason. */
class TrustedAgentLoopTest {
    static final String TOKEN = "robot-token-1";

    @TempDir
    Path state;

    @Test
    void anUnsignedReleaseIsFailedBeforeAnyByteIsDownloaded() throws Exception {
        try (FakeControlPlane cp = new FakeControlPlane(TOKEN)) {
            String dep = cp.deploy("1.0.0", ArtifactKind.APP_TARBALL, "demo-app",
                    Tarballs.app("exec sleep 300"), "{\"entrypoint\": [\"bin/app\"]}");
            StateStore store = new StateStore(state);
            ControlPlaneClient client = new ControlPlaneClient(cp.url(), TOKEN);
            DeployContext ctx = new DeployContext(store, store.load(),
                    dev.roboflare.agent.executor.ExecutorRegistry.of(new TarballExecutor(state)),
                    new DetachedProcessLauncher(state, Duration.ofSeconds(2)),
                    new ArtifactDownloader(client.downloads(), state.resolve("downloads"), null), new Outbox(state),
                    new SelfUpdateGuard(null), Duration.ofMillis(500), DiskPreflight.NONE, new ReleaseTrust(List.of(ReleaseKeys.generate().getPublic()), null, "0.1.0",
                    Clock.systemUTC(), new RanReleases(state)));
            Agent agent = new Agent(client, ctx, new DeploymentMachine(ctx, new PauseHook(null), 4),
                    Duration.ofMillis(100), Duration.ofMillis(500));
            Thread loop = new Thread(() -> {
                try {
                    agent.run();
                } catch (java.io.IOException e) {
                    throw new RuntimeException(e);
                }
            });
            loop.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (cp.eventsFor(dep).isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            agent.stop();
            loop.join(10_000);
            FakeControlPlane.Received ev = cp.eventsFor(dep).get(0);
            assertThat(ev.status()).isEqualTo(DeploymentStatus.FAILED);
            assertThat(ev.detail()).contains("untrusted release: release 1.0.0 is not signed");
            assertThat(state.resolve("current")).doesNotExist();
            Path downloads = state.resolve("downloads");
            assertThat(!java.nio.file.Files.exists(downloads)
                    || java.nio.file.Files.list(downloads).findAny().isEmpty()).isTrue();
        }
    }
}
