package dev.roboflare.agent.systemd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import dev.roboflare.agent.testing.DatagramListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** sd_notify against a real unix datagram socket, bound here the way systemd binds NOTIFY_SOCKET. */
class SdNotifyTest {
    @TempDir
    Path dir;
    private DatagramListener listener;
    private Path socket;

    @BeforeEach
    void bind() throws IOException {
        socket = dir.resolve("notify");
        listener = new DatagramListener(socket);
    }

    @AfterEach
    void close() throws IOException {
        listener.close();
    }

    @Test
    void readyStatusAndWatchdogArriveAsDatagrams() throws Exception {
        SdNotify n = SdNotify.fromEnvironment(Map.of("NOTIFY_SOCKET", socket.toString(), "WATCHDOG_USEC", "200000"));
        assertThat(n.watchdogIntervalNanos()).isEqualTo(100_000_000L);

        n.ready("idle");
        n.status("deployment d1 release 1.0.0: download");
        n.status("deployment d1 release 1.0.0: download"); // unchanged: not sent again
        n.kick(); // too early: half of WATCHDOG_USEC has not passed
        Thread.sleep(150);
        n.kick();

        List<String> got = receiveAll();
        assertThat(got).hasSize(3);
        assertThat(got.get(0)).contains("READY=1").contains("STATUS=idle")
                .contains("MAINPID=" + ProcessHandle.current().pid());
        assertThat(got.get(1)).isEqualTo("STATUS=deployment d1 release 1.0.0: download");
        assertThat(got.get(2)).isEqualTo("WATCHDOG=1");
    }

    @Test
    void aWatchdogForAnotherPidOrNoSocketIsIgnored() throws Exception {
        SdNotify other = SdNotify.fromEnvironment(Map.of("NOTIFY_SOCKET", socket.toString(), "WATCHDOG_USEC", "2",
                "WATCHDOG_PID", "1"));
        other.kick();
        assertThat(other.watchdogIntervalNanos()).isZero();
        SdNotify none = SdNotify.fromEnvironment(Map.of());
        none.ready("idle");
        none.kick();
        assertThat(none.enabled()).isFalse();
        assertThat(receiveAll()).isEmpty();
    }

    @Test
    void aMissingSocketIsLoggedNotThrown() {
        SdNotify n = new SdNotify(dir.resolve("nobody-listens").toString(), 0);
        n.ready("idle");
        n.status("still fine");
    }

    private List<String> receiveAll() throws Exception {
        return listener.drain(50).stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList();
    }
}
