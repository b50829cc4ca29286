package dev.roboflare.agent.systemd;

import dev.roboflare.agent.log.Log;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import jnr.unixsocket.UnixDatagramChannel;
import jnr.unixsocket.UnixSocketAddress;

/**
 * sd_notify(3) without libsystemd: datagrams to {@code $NOTIFY_SOCKET}. {@code READY=1} once state.json was
 * loaded, {@code STATUS=} with the current step, and {@code WATCHDOG=1} at half of {@code $WATCHDOG_USEC}.
 *
 * <p>The watchdog is kicked only by {@link #kick()}, which the main loop calls between (and inside) its steps —
 * never from a timer thread — so a loop that hangs stops kicking and systemd restarts the agent. Outside systemd
 * ({@code NOTIFY_SOCKET} unset) every call is a no-op.
 */
public final class SdNotify {
    private static volatile SdNotify current = new SdNotify(null, 0);

    private final String socketPath;
    private final long watchdogIntervalNanos;
    private UnixDatagramChannel channel;
    private long lastKick = System.nanoTime();
    private String lastStatus;
    private boolean warned;

    /** @param socketPath the NOTIFY_SOCKET value (null: no-op); @param watchdogUsec WATCHDOG_USEC (0: none) */
    public SdNotify(String socketPath, long watchdogUsec) {
        this.socketPath = socketPath == null || socketPath.isBlank() ? null : socketPath;
        this.watchdogIntervalNanos = watchdogUsec <= 0 ? 0 : watchdogUsec * 1000L / 2;
    }

    /** From NOTIFY_SOCKET, WATCHDOG_USEC and WATCHDOG_PID (a watchdog meant for another pid is ignored). */
    public static SdNotify fromEnvironment(Map<String, String> env) {
        long usec = 0;
        String pid = env.get("WATCHDOG_PID");
        if (pid == null || pid.equals(Long.toString(ProcessHandle.current().pid()))) {
            try {
                usec = Long.parseLong(env.getOrDefault("WATCHDOG_USEC", "0").trim());
            } catch (NumberFormatException e) {
                usec = 0;
            }
        }
        return new SdNotify(env.get("NOTIFY_SOCKET"), usec);
    }

    /** The notifier the main loop and the phases use (a no-op until {@link #install} is called). */
    public static SdNotify current() {
        return current;
    }

    public static void install(SdNotify notifier) {
        current = notifier;
    }

    public boolean enabled() {
        return socketPath != null;
    }

    /** The half-interval at which WATCHDOG=1 is sent, or 0 without a watchdog. */
    public long watchdogIntervalNanos() {
        return watchdogIntervalNanos;
    }

    public void ready(String status) {
        lastStatus = status;
        send("READY=1\nSTATUS=" + status + "\nMAINPID=" + ProcessHandle.current().pid());
        lastKick = System.nanoTime();
    }

    /** STATUS= (shown by {@code systemctl status}); sent only when it changes. Also kicks the watchdog. */
    public void status(String status) {
        if (!status.equals(lastStatus)) {
            lastStatus = status;
            send("STATUS=" + status);
        }
        kick();
    }

    /** Sends WATCHDOG=1 when half of WATCHDOG_USEC has passed since the last one (monotonic clock). */
    public void kick() {
        if (watchdogIntervalNanos == 0 || socketPath == null) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastKick >= watchdogIntervalNanos) {
            lastKick = now;
            send("WATCHDOG=1");
        }
    }

    public void stopping() {
        send("STOPPING=1");
    }

    private synchronized void send(String message) {
        if (socketPath == null) {
            return;
        }
        try {
            if (channel == null) {
                channel = UnixDatagramChannel.open();
            }
            // '@' is the abstract namespace: a leading NUL byte in the address
            String path = socketPath.startsWith("@") ? "\0" + socketPath.substring(1) : socketPath;
            channel.send(ByteBuffer.wrap(message.getBytes(StandardCharsets.UTF_8)), new UnixSocketAddress(path));
            warned = false;
        } catch (IOException | RuntimeException e) {
            if (!warned) { // one line per outage, not one per kick
                warned = true;
                Log.warn().kv("step", "sd-notify").kv("outcome", "error").kv("socket", socketPath)
                        .msg("cannot notify systemd: " + e).emit();
            }
            closeQuietly();
        }
    }

    private void closeQuietly() {
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException ignored) {
            // reopened on the next send
        }
        channel = null;
    }
}
