package dev.roboflare.cli;

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
import java.util.concurrent.TimeUnit;

/** The shipped control-plane jar (what the reactor just packaged), started as its own process on a free port. */
final class ControlPlaneProcess implements AutoCloseable {
    private final Process process;
    private final Path dataDir;
    private final Path log;
    private final String baseUrl;

    private ControlPlaneProcess(Process process, Path dataDir, Path log, String baseUrl) {
        this.process = process;
        this.dataDir = dataDir;
        this.log = log;
        this.baseUrl = baseUrl;
    }

    static ControlPlaneProcess start(Path workDir) throws Exception {
        Path dataDir = Files.createDirectories(workDir.resolve("cp-data"));
        Path log = workDir.resolve("control-plane.log");
        int port = freePort();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx256m", "-jar", jar().toString(), "serve",
                "--port", Integer.toString(port), "--bind", "127.0.0.1", "--data-dir", dataDir.toString(),
                "--scheduler-interval", "1s")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        ControlPlaneProcess cp = new ControlPlaneProcess(p, dataDir, log, "http://127.0.0.1:" + port);
        cp.awaitListening();
        return cp;
    }

    String baseUrl() {
        return baseUrl;
    }

    Path tokenFile() {
        return dataDir.resolve("operator-token");
    }

    String operatorToken() throws IOException {
        return Files.readString(tokenFile()).strip();
    }

    String logText() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    private static Path jar() {
        String value = System.getProperty("roboflare.controlPlaneJar");
        if (value == null) {
            throw new IllegalStateException("roboflare.controlPlaneJar is not set; run these tests through Maven");
        }
        Path jar = Path.of(value).toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " does not exist; build with mvn -B -pl cli -am verify");
        }
        return jar;
    }

    private void awaitListening() throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        Instant deadline = Instant.now().plusSeconds(90);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("control plane exited with " + process.exitValue() + ":\n" + logText());
            }
            try {
                http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/robots")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (Files.exists(tokenFile())) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("control plane did not listen within 90 s:\n" + logText());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
