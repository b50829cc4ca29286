package dev.roboflare.e2e;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/** The shipped control-plane jar, started as its own process on a free loopback port. */
final class ControlPlaneProcess implements AutoCloseable {
    private final Process process;
    private final Path dataDir;
    private final Path log;
    private final String baseUrl;
    private final HttpClient http;

    private ControlPlaneProcess(Process process, Path dataDir, Path log, String baseUrl, HttpClient http) {
        this.process = process;
        this.dataDir = dataDir;
        this.log = log;
        this.baseUrl = baseUrl;
        this.http = http;
    }

    static ControlPlaneProcess start(Path workDir) throws Exception {
        return start(workDir, java.util.List.of(), "http", HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(1)).build());
    }

    /** With extra serve flags (e.g. --tls-keystore) and the client that can reach it ({@code scheme} https). */
    static ControlPlaneProcess start(Path workDir, java.util.List<String> extraArgs, String scheme, HttpClient http)
            throws Exception {
        Path dataDir = Files.createDirectories(workDir.resolve("cp-data"));
        Path log = workDir.resolve("control-plane.log");
        int port = freePort();
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of(Jars.java(), "-Xmx256m", "-jar",
                Jars.controlPlane().toString(), "serve", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--data-dir", dataDir.toString(), "--scheduler-interval", "1s"));
        cmd.addAll(extraArgs);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        ControlPlaneProcess cp = new ControlPlaneProcess(p, dataDir, log, scheme + "://127.0.0.1:" + port, http);
        cp.awaitListening();
        return cp;
    }

    String baseUrl() {
        return baseUrl;
    }

    Path dataDir() {
        return dataDir;
    }

    String operatorToken() throws IOException {
        return Files.readString(dataDir.resolve("operator-token")).strip();
    }

    String logText() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    private void awaitListening() throws Exception {
        Instant deadline = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("control plane exited with " + process.exitValue() + ":\n" + logText());
            }
            try {
                http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/robots")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (Files.exists(dataDir.resolve("operator-token"))) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("control plane did not listen within 60 s:\n" + logText());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
