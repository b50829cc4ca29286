package dev.roboflare.agent.executor.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JDK-only /_ping against real unix sockets: none, one that answers like an engine, one that does not. */
class EnginePingTest {
    @TempDir
    Path dir;

    @Test
    void aMissingSocketIsNoEngine() {
        assertThat(EnginePing.ping("unix://" + dir.resolve("docker.sock"), Duration.ofSeconds(1)))
                .contains("does not exist");
    }

    @Test
    void a200AnswerIsAnEngine() throws Exception {
        try (Server s = new Server(dir.resolve("ok.sock"), "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nOK")) {
            assertThat(EnginePing.ping("unix://" + s.path, Duration.ofSeconds(5))).isNull();
        }
    }

    @Test
    void anotherAnswerOrSilenceIsNot() throws Exception {
        try (Server s = new Server(dir.resolve("err.sock"), "HTTP/1.1 500 Internal Server Error\r\n\r\n")) {
            assertThat(EnginePing.ping("unix://" + s.path, Duration.ofSeconds(5))).contains("500");
        }
        try (Server s = new Server(dir.resolve("mute.sock"), null)) {
            assertThat(EnginePing.ping("unix://" + s.path, Duration.ofMillis(300))).contains("no answer");
        }
    }

    @Test
    void onlyAPlainUnixAddressIsDecidedWithoutDockerJava() throws IOException {
        assertThat(EnginePing.plainUnixHost(Map.of())).isEqualTo(EnginePing.DEFAULT_HOST);
        assertThat(EnginePing.plainUnixHost(Map.of("DOCKER_HOST", "unix:///run/podman.sock")))
                .isEqualTo("unix:///run/podman.sock");
        assertThat(EnginePing.plainUnixHost(Map.of("DOCKER_HOST", "tcp://10.0.0.2:2376"))).isNull();
        assertThat(EnginePing.plainUnixHost(Map.of("DOCKER_CONTEXT", "remote"))).isNull();
        Files.createDirectories(dir.resolve(".docker"));
        Files.writeString(dir.resolve(".docker/config.json"), "{}");
        assertThat(EnginePing.plainUnixHost(Map.of("HOME", dir.toString()))).isNull();
    }

    /** Accepts one connection on a unix socket, reads the request, writes {@code answer} (null: says nothing). */
    private static final class Server implements AutoCloseable {
        final Path path;
        private final ServerSocketChannel server;
        private final Thread thread;

        Server(Path path, String answer) throws IOException {
            this.path = path;
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(path));
            thread = new Thread(() -> {
                try (SocketChannel c = server.accept()) {
                    c.read(ByteBuffer.allocate(1024));
                    if (answer == null) {
                        Thread.sleep(2_000);
                    } else {
                        c.write(ByteBuffer.wrap(answer.getBytes(StandardCharsets.US_ASCII)));
                    }
                } catch (IOException | InterruptedException ignored) {
                    // closed by the test
                }
            });
            thread.start();
        }

        @Override
        public void close() throws Exception {
            server.close();
            thread.interrupt();
            thread.join(5_000);
        }
    }
}
