package dev.roboflare.testkit;

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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The shipped control-plane jar ({@link Jars#controlPlane}), started as its own process on a free loopback port. */
public final class ControlPlaneProcess implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final List<String> command;
    private Process process;
    private final Path dataDir;
    private final Path log;
    private final String baseUrl;
    private final HttpClient http;

    private ControlPlaneProcess(List<String> command, Path dataDir, Path log, String baseUrl, HttpClient http) {
        this.command = command;
        this.dataDir = dataDir;
        this.log = log;
        this.baseUrl = baseUrl;
        this.http = http;
    }

    /**
     * {@code serve} with its data dir and log under {@code workDir} and the scheduler ticking every second; returns
     * once it answers HTTP and has written its operator token.
     */
    public static ControlPlaneProcess start(Path workDir) throws Exception {
        return start(workDir, List.of(), "http", HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build());
    }

    /** With extra serve flags (e.g. --tls-keystore) and the client that can reach it ({@code scheme} https). */
    public static ControlPlaneProcess start(Path workDir, List<String> extraArgs, String scheme, HttpClient http)
            throws Exception {
        return start(workDir, extraArgs, scheme, http, null);
    }

    /** Started under {@code umask} (e.g. "022", the common default), or the test JVM's own when null. */
    public static ControlPlaneProcess start(Path workDir, List<String> extraArgs, String scheme, HttpClient http,
                                            String umask) throws Exception {
        Path dataDir = Files.createDirectories(workDir.resolve("cp-data"));
        Path log = workDir.resolve("control-plane.log");
        int port = freePort();
        List<String> cmd = new ArrayList<>(List.of(Jars.java(), "-Xmx256m", "-jar", Jars.controlPlane().toString(),
                "serve", "--port", Integer.toString(port), "--bind", "127.0.0.1", "--data-dir", dataDir.toString(),
                "--scheduler-interval", "1s"));
        cmd.addAll(extraArgs);
        if (umask != null) {
            cmd.addAll(0, List.of("/bin/sh", "-c", "umask " + umask + " && exec \"$@\"", "sh"));
        }
        ControlPlaneProcess cp = new ControlPlaneProcess(List.copyOf(cmd), dataDir, log,
                scheme + "://127.0.0.1:" + port, http);
        cp.launch();
        return cp;
    }

    /** Runs the command (again, on the same port and data dir; the log is appended to) until it answers HTTP. */
    private void launch() throws Exception {
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        awaitListening();
    }

    /** SIGKILL: a crashed host or the OOM killer; no shutdown hook runs, open transactions are cut off. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** Starts it again after {@link #kill()} with the same flags, port and data dir. */
    public void restart() throws Exception {
        if (process.isAlive()) {
            throw new IllegalStateException("restart() after kill(): the control plane is still running");
        }
        launch();
    }

    public int port() {
        return URI.create(baseUrl).getPort();
    }

    public String baseUrl() {
        return baseUrl;
    }

    public Path dataDir() {
        return dataDir;
    }

    public Path tokenFile() {
        return dataDir.resolve("operator-token");
    }

    public String operatorToken() throws IOException {
        return Files.readString(tokenFile()).strip();
    }

    public String logText() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    private void awaitListening() throws Exception {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
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
        throw new IllegalStateException("control plane did not listen within " + START_TIMEOUT.toSeconds() + " s:\n"
                + logText());
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
