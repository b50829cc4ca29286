package dev.roboflare.agent.executor.container;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * {@code GET /_ping} over the engine's unix socket with the JDK alone, for {@code --executor auto}. Most robots (an
 * OT-2) have no engine, and asking docker-java loads about a thousand classes (about 10 MB of the idle agent's RSS,
 * scripts/bench) only to learn that. It decides only when the engine's address is plain: DOCKER_HOST unset or
 * unix://, and no docker CLI config (whose contexts could point elsewhere); otherwise docker-java decides as before.
 */
final class EnginePing {
    static final String DEFAULT_HOST = "unix:///var/run/docker.sock";

    private EnginePing() {
    }

    /** The unix:// engine address when this class can ping it itself, else null (leave it to docker-java). */
    static String plainUnixHost(Map<String, String> env) {
        if (env.get("DOCKER_CONFIG") != null || env.get("DOCKER_CONTEXT") != null) {
            return null;
        }
        String home = env.get("HOME");
        if (home != null && Files.exists(Path.of(home, ".docker", "config.json"))) {
            return null;
        }
        String host = env.get("DOCKER_HOST");
        if (host == null || host.isBlank()) {
            return DEFAULT_HOST;
        }
        return host.startsWith("unix://") ? host : null;
    }

    /** Null when the engine at {@code unixHost} answers 200 to /_ping within {@code timeout}, else why not. */
    static String ping(String unixHost, Duration timeout) {
        Path socket = Path.of(unixHost.substring("unix://".length()));
        if (!Files.exists(socket)) {
            return socket + " does not exist";
        }
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
             Selector selector = Selector.open()) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.write(ByteBuffer.wrap("GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
            ch.configureBlocking(false);
            ch.register(selector, SelectionKey.OP_READ);
            ByteBuffer buf = ByteBuffer.allocate(256);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (buf.hasRemaining()) {
                long left = (deadline - System.nanoTime()) / 1_000_000L;
                if (left <= 0 || selector.select(left) == 0) {
                    return "no answer to /_ping within " + timeout.toSeconds() + " s";
                }
                selector.selectedKeys().clear();
                if (ch.read(buf) < 0) {
                    break;
                }
                if (statusLine(buf) != null) {
                    break;
                }
            }
            String status = statusLine(buf);
            if (status == null) {
                return "not an HTTP answer to /_ping";
            }
            return status.matches("HTTP/1\\.[01] 200( .*)?") ? null : "/_ping answered " + status;
        } catch (IOException e) {
            return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
    }

    private static String statusLine(ByteBuffer buf) {
        String text = new String(buf.array(), 0, buf.position(), StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n");
        return end < 0 ? null : text.substring(0, end);
    }
}
