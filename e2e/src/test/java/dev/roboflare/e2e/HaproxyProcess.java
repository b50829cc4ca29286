package dev.roboflare.e2e;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * HAProxy (the binary scripts/lib/services/haproxy.sh installs, {@code $ROBOFLARE_TEST_HAPROXY}) round-robin in
 * front of control-plane instances, as an operator would run it: TCP health checks every 500 ms, a refused
 * connection retried on another instance. Every request is logged to a file, one line each, so a test can tell the
 * 5xx HAProxy answered itself (no instance, or one that died mid-request) from a 5xx an instance sent.
 */
final class HaproxyProcess implements AutoCloseable {
    private final Process process;
    private final Path log;
    final String url;

    /** One request as HAProxy logged it; {@code terminationState} "--" means the instance answered normally. */
    record Request(long epochSecond, int status, String terminationState, String server, String method, String uri) {
        boolean answeredByHaproxy() {
            return !terminationState.startsWith("--");
        }
    }

    private HaproxyProcess(Process process, Path log, String url) {
        this.process = process;
        this.log = log;
        this.url = url;
    }

    static HaproxyProcess start(Path dir, List<Integer> backendPorts) throws Exception {
        String binary = System.getenv("ROBOFLARE_TEST_HAPROXY");
        if (binary == null || binary.isBlank()) {
            throw new AssertionError("ROBOFLARE_TEST_HAPROXY is not set: run scripts/test, or "
                    + "RUN_DIR=... scripts/lib/services/haproxy.sh start and export what it writes to $RUN_DIR/env");
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        List<String> cfg = new ArrayList<>(List.of(
                "global",
                "  log stdout format raw local0",
                "defaults",
                "  mode http",
                "  log global",
                "  log-format \"%Ts %ST %tsc %s %HM %HU\"",
                "  timeout connect 1s",
                "  timeout client 30s",
                "  timeout server 30s",
                "  retries 3",
                "  option redispatch 1",
                "frontend api",
                "  bind 127.0.0.1:" + port,
                "  default_backend control_planes",
                "backend control_planes",
                "  balance roundrobin"));
        for (int i = 0; i < backendPorts.size(); i++) {
            cfg.add("  server cp" + (i + 1) + " 127.0.0.1:" + backendPorts.get(i) + " check inter 500ms fall 2 rise 2");
        }
        Path config = Files.write(dir.resolve("haproxy.cfg"), cfg);
        Path log = dir.resolve("haproxy.log");
        Process p = new ProcessBuilder(binary, "-db", "-f", config.toString()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        HaproxyProcess haproxy = new HaproxyProcess(p, log, "http://127.0.0.1:" + port);
        for (int i = 0; i < 100; i++) {
            if (!p.isAlive()) {
                throw new IllegalStateException("haproxy exited: " + Files.readString(log));
            }
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return haproxy;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        haproxy.close();
        throw new IllegalStateException("haproxy did not listen on " + port + " within 10 s: " + Files.readString(log));
    }

    /** Every request logged so far (lines that are not request lines, e.g. health-check changes, are left out). */
    List<Request> requests() throws IOException {
        List<Request> requests = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            String[] f = line.split(" ", 6);
            if (f.length == 6 && f[0].matches("\\d+") && f[1].matches("-?\\d+")) {
                requests.add(new Request(Long.parseLong(f[0]), Integer.parseInt(f[1]), f[2], f[3], f[4], f[5]));
            }
        }
        return requests;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
