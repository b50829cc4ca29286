package dev.roboflare.agent.systemd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roboflare.agent.Main;
import dev.roboflare.agent.testing.DatagramListener;
import dev.roboflare.agent.testing.FakeControlPlane;
import dev.roboflare.agent.testing.Tarballs;
import dev.roboflare.protocol.ArtifactKind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent as a process, started the way systemd starts a Type=notify service: NOTIFY_SOCKET points at a real
 * datagram socket bound here, WATCHDOG_USEC asks for pings (every 500 ms).
 */
class SdNotifyProcessTest {
    @TempDir
    Path dir;

    private Process start(String controlPlane, DatagramListener notify, String pauseAt) throws Exception {
        Files.writeString(dir.resolve("token"), "t\n");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        String jar = System.getProperty("roboflare.agent.jar");
        if (jar != null) {
            cmd.addAll(List.of("-jar", jar)); // SdNotifyJarIT: the shaded jar, with its jnr native libraries
        } else {
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        }
        cmd.addAll(List.of("--control-plane", controlPlane, "--token-file", dir.resolve("token").toString(),
                "--state-dir", dir.resolve("state").toString(), "--poll-interval", "300ms", "--max-backoff", "1s"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("agent.log").toFile());
        pb.environment().put("NOTIFY_SOCKET", notify.path().toString());
        pb.environment().put("WATCHDOG_USEC", "1000000");
        if (pauseAt != null) {
            pb.environment().put("ROBOFLARE_AGENT_PAUSE_AT", pauseAt);
        }
        return pb.start();
    }

    @Test
    void readyThenStatusThenWatchdogPingsThenStopping() throws Exception {
        try (DatagramListener notify = new DatagramListener(dir.resolve("notify"))) {
            // the control plane is unreachable on purpose: READY, STATUS and the watchdog do not depend on it
            Process agent = start("http://127.0.0.1:1", notify, null);
            List<String> got = new ArrayList<>();
            try {
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (got.stream().filter("WATCHDOG=1"::equals).count() < 3 && System.nanoTime() < end) {
                    notify.drain(200).forEach(b -> got.add(new String(b, StandardCharsets.UTF_8)));
                    assertThat(agent.isAlive()).as("agent alive; its log:\n%s", log()).isTrue();
                }
            } finally {
                agent.destroy(); // SIGTERM, as systemctl stop
                agent.waitFor(20, TimeUnit.SECONDS);
            }
            notify.drain(200).forEach(b -> got.add(new String(b, StandardCharsets.UTF_8)));

            assertThat(got).as("datagrams: %s\nlog:\n%s", got, log()).isNotEmpty();
            assertThat(got.get(0)).startsWith("READY=1\nSTATUS=idle\nMAINPID=" + agent.pid());
            assertThat(got).contains("STATUS=idle, no release installed");
            assertThat(got.stream().filter("WATCHDOG=1"::equals).count()).isGreaterThanOrEqualTo(3);
            assertThat(got.get(got.size() - 1)).isEqualTo("STOPPING=1");
        }
    }

    @Test
    void aHungMainLoopStopsTheWatchdogPingsSoSystemdWouldRestartIt() throws Exception {
        try (FakeControlPlane cp = new FakeControlPlane("t");
             DatagramListener notify = new DatagramListener(dir.resolve("notify"))) {
            String dep = cp.deploy("1.0.0", ArtifactKind.APP_TARBALL, "app", Tarballs.app("exec sleep 300"),
                    "{\"entrypoint\": [\"bin/app\"]}");
            // the test hook stands in for a hung step: the main thread sleeps forever inside phase verify
            Process agent = start(cp.url(), notify, "verify");
            List<String> got = new ArrayList<>();
            try {
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (!log().contains("paused at verify") && System.nanoTime() < end) {
                    notify.drain(200).forEach(b -> got.add(new String(b, StandardCharsets.UTF_8)));
                    assertThat(agent.isAlive()).as("agent alive; its log:\n%s", log()).isTrue();
                }
                notify.drain(300).forEach(b -> got.add(new String(b, StandardCharsets.UTF_8)));
                assertThat(got).contains("STATUS=deployment " + dep + " release 1.0.0: verify");
                List<byte[]> whileHung = notify.drain(3000); // 6 watchdog intervals of 500 ms
                assertThat(whileHung).as("no WATCHDOG=1 while the loop is stuck").isEmpty();
                assertThat(agent.isAlive()).isTrue();
            } finally {
                agent.destroyForcibly();
                agent.waitFor(20, TimeUnit.SECONDS);
            }
        }
    }

    private String log() throws Exception {
        Path f = dir.resolve("agent.log");
        return Files.exists(f) ? Files.readString(f) : "";
    }
}
