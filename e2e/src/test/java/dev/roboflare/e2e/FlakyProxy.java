package dev.roboflare.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on loopback (one HTTP exchange per connection) that mistreats a share of the connections it accepts, the way a cellular link does:
 * closed at once (drop), held before any byte moves (delay), reset with an RST in the middle of the request
 * (reset), or cut off partway through the answer (truncate). The fate of each connection is drawn from a seeded
 * random, so a failing run can be repeated. On top of the drawn fates, the first artifact download longer than
 * {@link #FIRST_DOWNLOAD_CUT_AT} bytes is always cut partway through its body, so every run exercises a resumed download whatever order the other requests came in.
 */
final class FlakyProxy implements AutoCloseable {
    enum Fate { PASS, DROP, DELAY, RESET, TRUNCATE }

    private final ServerSocket server;
    private final InetSocketAddress upstream;
    private final double faultRate;
    private final Random random;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "flaky-proxy");
        t.setDaemon(true);
        return t;
    });
    private final Map<Fate, AtomicInteger> counts = new EnumMap<>(Fate.class);
    private final java.util.concurrent.atomic.AtomicLong toClient = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicBoolean firstDownloadCut =
            new java.util.concurrent.atomic.AtomicBoolean();
    private volatile boolean closed;

    FlakyProxy(int upstreamPort, double faultRate, long seed) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.upstream = new InetSocketAddress(InetAddress.getLoopbackAddress(), upstreamPort);
        this.faultRate = faultRate;
        this.random = new Random(seed);
        for (Fate f : Fate.values()) {
            counts.put(f, new AtomicInteger());
        }
        threads.submit(this::acceptLoop);
    }

    String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /** Bytes the control plane sent through this proxy to its clients: what the link carried downstream. */
    long bytesToClient() {
        return toClient.get();
    }

    Map<Fate, Integer> counts() {
        Map<Fate, Integer> m = new EnumMap<>(Fate.class);
        counts.forEach((k, v) -> m.put(k, v.get()));
        return m;
    }

    private synchronized Fate draw() {
        if (random.nextDouble() >= faultRate) {
            return Fate.PASS;
        }
        Fate[] faults = {Fate.DROP, Fate.DELAY, Fate.RESET, Fate.TRUNCATE};
        return faults[random.nextInt(faults.length)];
    }

    private synchronized int between(int lo, int hi) {
        return lo + random.nextInt(hi - lo);
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = server.accept();
                Fate fate = draw();
                counts.get(fate).incrementAndGet();
                threads.submit(() -> handle(client, fate));
            } catch (IOException e) {
                if (!closed) {
                    sleep(50);
                }
            }
        }
    }

    private void handle(Socket client, Fate fate) {
        try (client) {
            switch (fate) {
                case DROP -> {
                    return; // accepted and closed: the client sees EOF before any answer
                }
                case DELAY -> sleep(between(300, 2500));
                case RESET -> {
                    client.getInputStream().read(new byte[between(1, 64)]);
                    client.setSoLinger(true, 0); // close with RST
                    return;
                }
                default -> {
                }
            }
            try (Socket up = new Socket()) {
                up.connect(upstream, 5000);
                long limit = fate != Fate.TRUNCATE ? Long.MAX_VALUE
                        : between(0, 2) == 0 ? between(20, 3000) : between(3000, 300_000);
                InputStream fromClient = client.getInputStream();
                OutputStream toUpstream = up.getOutputStream();
                byte[] head = oneExchangeOnly(fromClient);
                boolean cutThis = fate == Fate.PASS && isDownload(head) && !firstDownloadCut.get();
                if (cutThis) {
                    limit = FIRST_DOWNLOAD_CUT_AT;
                }
                toUpstream.write(head);
                threads.submit(() -> pump(fromClient, toUpstream, Long.MAX_VALUE, up, null));
                long sent = pump(up.getInputStream(), client.getOutputStream(), limit, client, toClient);
                if (cutThis && sent >= limit) {
                    firstDownloadCut.set(true); // a smaller artifact went through whole: the next download is tried
                }
            }
        } catch (IOException e) {
            // the client or the control plane went away: nothing to do
        }
    }

    /**
     * Response bytes (head and body) after which the first download long enough is cut: past the downloader's first
     * 64 KiB write, so the part file keeps something to resume from.
     */
    private static final long FIRST_DOWNLOAD_CUT_AT = 200_000;

    private static boolean isDownload(byte[] head) {
        String line = new String(head, 0, Math.min(head.length, 512), java.nio.charset.StandardCharsets.ISO_8859_1);
        return line.startsWith("GET ") && line.split("\r\n", 2)[0].matches("GET /api/artifacts/[^/ ]+/download[? ].*");
    }

    /**
     * Reads the request head and makes it {@code Connection: close}, so every request gets a connection of its own
     * and its own fate (HTTP clients otherwise reuse one kept-alive connection for everything).
     */
    private static byte[] oneExchangeOnly(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            head.append((char) c);
            if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
                break;
            }
            if (head.length() > 64 * 1024) {
                break;
            }
        }
        StringBuilder out = new StringBuilder();
        for (String line : head.toString().split("\r\n")) {
            if (!line.isEmpty() && !line.regionMatches(true, 0, "connection:", 0, 11)) {
                out.append(line).append("\r\n");
            }
        }
        return out.append("Connection: close\r\n\r\n").toString().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** Copies until EOF or {@code limit} bytes, then closes {@code toClose} (both directions end); the bytes copied. */
    private static long pump(InputStream in, OutputStream out, long limit, Socket toClose,
                             java.util.concurrent.atomic.AtomicLong counted) {
        byte[] buf = new byte[16 * 1024];
        long sent = 0;
        try {
            int n;
            while (sent < limit && (n = in.read(buf, 0, (int) Math.min(buf.length, limit - sent))) > 0) {
                out.write(buf, 0, n);
                out.flush();
                sent += n;
                if (counted != null) {
                    counted.addAndGet(n);
                }
            }
        } catch (IOException e) {
            // one side closed
        } finally {
            try {
                toClose.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
        return sent;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        threads.shutdownNow();
    }
}
