package dev.roboflare.agent.log;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jnr.unixsocket.UnixDatagramChannel;
import jnr.unixsocket.UnixSocketAddress;

/**
 * journald's native protocol: one datagram per log line to /run/systemd/journal/socket, with structured fields so
 * a technician can run {@code journalctl -u roboflare-agent DEPLOYMENT_ID=...}. The agent's keys map to
 * {@code deployment → DEPLOYMENT_ID}, {@code release → RELEASE_SEMVER}, {@code step → PHASE}; every other key is
 * sent upper-cased ({@code outcome → OUTCOME}, {@code exit_code → EXIT_CODE}). {@code MESSAGE} is the same
 * {@code key=value} line stdout would have carried.
 */
public final class JournaldSink {
    public static final Path DEFAULT_SOCKET = Path.of("/run/systemd/journal/socket");
    public static final String IDENTIFIER = "roboflare-agent";
    /** Datagrams are capped by the socket's buffer; longer messages are cut (journald's memfd path is not used). */
    static final int MAX_VALUE = 48 * 1024;
    private static final Map<String, String> RENAMED = Map.of(
            "deployment", "DEPLOYMENT_ID", "release", "RELEASE_SEMVER", "step", "PHASE", "msg", "TEXT");

    private final UnixSocketAddress address;
    private final String robotId;
    private UnixDatagramChannel channel;

    public JournaldSink(Path socket, String robotId) {
        this.address = new UnixSocketAddress(socket.toFile());
        this.robotId = robotId;
    }

    /**
     * A sink when journald's socket exists and the agent runs under systemd with its output going to the journal
     * ({@code JOURNAL_STREAM} is set, see systemd.exec(5)); else null and the log stays on stdout. So an agent
     * started by hand in a terminal (or by a test) still prints its lines where the person can see them.
     */
    public static JournaldSink ifPresent(Path socket, Map<String, String> env, String robotId) {
        String stream = env.get("JOURNAL_STREAM");
        return stream != null && !stream.isBlank() && Files.exists(socket) ? new JournaldSink(socket, robotId) : null;
    }

    /** Sends one entry; false when journald did not take it (the caller writes the line to stdout instead). */
    synchronized boolean send(int priority, String message, List<String[]> fields) {
        ByteArrayOutputStream b = new ByteArrayOutputStream(256);
        field(b, "PRIORITY", Integer.toString(priority));
        field(b, "SYSLOG_IDENTIFIER", IDENTIFIER);
        field(b, "MESSAGE", message);
        if (robotId != null) {
            field(b, "ROBOT_ID", robotId);
        }
        for (String[] kv : fields) {
            String name = fieldName(kv[0]);
            if (name != null) {
                field(b, name, kv[1]);
            }
        }
        try {
            if (channel == null) {
                channel = UnixDatagramChannel.open();
            }
            channel.send(ByteBuffer.wrap(b.toByteArray()), address);
            return true;
        } catch (IOException | RuntimeException e) {
            try {
                channel.close();
            } catch (IOException | RuntimeException ignored) {
                // reopened on the next line
            }
            channel = null;
            return false;
        }
    }

    /** Journal field names: upper-case letters, digits and '_', not starting with '_' or a digit; else null. */
    static String fieldName(String key) {
        String renamed = RENAMED.get(key);
        if (renamed != null) {
            return renamed;
        }
        String n = key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9_]", "_");
        if (n.isEmpty() || n.length() > 64 || !Character.isLetter(n.charAt(0))
                || n.equals("MESSAGE") || n.equals("PRIORITY") || n.equals("SYSLOG_IDENTIFIER")) {
            return null;
        }
        return n;
    }

    /** {@code NAME=value\n}, or for a value with a newline {@code NAME\n<64-bit LE length><value>\n}. */
    static void field(ByteArrayOutputStream b, String name, String value) {
        byte[] v = value.getBytes(StandardCharsets.UTF_8);
        if (v.length > MAX_VALUE) {
            v = java.util.Arrays.copyOf(v, MAX_VALUE);
        }
        byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        b.write(n, 0, n.length);
        if (value.indexOf('\n') < 0) {
            b.write('=');
            b.write(v, 0, v.length);
        } else {
            b.write('\n');
            long len = v.length;
            for (int i = 0; i < 8; i++) {
                b.write((int) (len >>> (8 * i)) & 0xff);
            }
            b.write(v, 0, v.length);
        }
        b.write('\n');
    }
}
