package dev.roboflare.agent.systemd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roboflare.agent.Main;
import dev.roboflare.agent.testing.DatagramListener;
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
 * datagram socket bound here, WATCHDOG_USEC asks for pings. The control plane is unreachable on purpose: READY,
 * STATUS and the watchdog do not depend on it.
 */
class SdNotifyProcessTest {
    @TempDir
    Path dir;

    @Test
    void readyThenStatusThenWatchdogPingsThenStopping() throws Exception {
        Files.writeString(dir.resolve("token"), "t\n");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        String jar = System.getProperty("roboflare.agent.jar");
        if (jar != null) {
            cmd.addAll(List.of("-jar", jar)); // SdNotifyJarIT: the shaded jar, with its jnr native libraries
        } else {
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        }
        cmd.addAll(List.of("--control-plane", "http://127.0.0.1:1", "--token-file", dir.resolve("token").toString(),
                "--state-dir", dir.resolve("state").toString(), "--poll-interval", "300ms", "--max-backoff", "1s"));
        try (DatagramListener notify = new DatagramListener(dir.resolve("notify"))) {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("agent.log").toFile());
            pb.environment().put("NOTIFY_SOCKET", notify.path().toString());
            pb.environment().put("WATCHDOG_USEC", "1000000");
            Process agent = pb.start();
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

    private String log() throws Exception {
        Path f = dir.resolve("agent.log");
        return Files.exists(f) ? Files.readString(f) : "";
    }
}
