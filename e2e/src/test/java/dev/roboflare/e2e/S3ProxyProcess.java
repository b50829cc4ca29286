package dev.roboflare.e2e;

import dev.roboflare.testkit.Jars;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real S3 server as its own process: s3proxy with its filesystem backend on a free loopback port, one bucket.
 * Its class path is resolved by e2e/pom.xml into target/s3proxy.classpath (s3proxy needs Jetty 12, which cannot
 * share a class path with anything on Jetty 11).
 */
final class S3ProxyProcess implements AutoCloseable {
    static final String ACCESS_KEY = "roboflare-e2e";
    static final String SECRET_KEY = "roboflare-e2e-secret";
    static final String BUCKET = "roboflare";

    private final Process process;
    final String endpoint;

    private S3ProxyProcess(Process process, String endpoint) {
        this.process = process;
        this.endpoint = endpoint;
    }

    static S3ProxyProcess start(Path dir) throws Exception {
        String classpathFile = System.getProperty("roboflare.s3proxyClasspath");
        if (classpathFile == null || !Files.isRegularFile(Path.of(classpathFile))) {
            throw new IllegalStateException("s3proxy's class path file (" + classpathFile + ") is missing: run the "
                    + "tests through Maven (e2e/pom.xml's s3proxy-classpath execution writes it)");
        }
        Files.createDirectories(dir.resolve("blobs").resolve(BUCKET)); // the filesystem backend: a bucket is a dir
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path properties = Files.writeString(dir.resolve("s3proxy.properties"), String.join("\n",
                "jclouds.provider=filesystem", "jclouds.filesystem.basedir=" + dir.resolve("blobs"),
                "jclouds.identity=" + ACCESS_KEY, "jclouds.credential=" + SECRET_KEY,
                "s3proxy.endpoint=http://127.0.0.1:" + port, "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + ACCESS_KEY, "s3proxy.credential=" + SECRET_KEY) + "\n");
        // Without a configuration s3proxy's logback says DEBUG for every request.
        Path logback = Files.writeString(dir.resolve("logback.xml"), "<configuration><appender name=\"out\" "
                + "class=\"ch.qos.logback.core.ConsoleAppender\"><encoder><pattern>%level %logger{20} - %msg%n"
                + "</pattern></encoder></appender><root level=\"WARN\"><appender-ref ref=\"out\"/></root>"
                + "</configuration>");
        Process p = new ProcessBuilder(Jars.java(), "-Xmx128m", "-Dlogback.configurationFile=" + logback,
                "-cp", Files.readString(Path.of(classpathFile)).strip(), "org.gaul.s3proxy.Main",
                "--properties", properties.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("s3proxy.log").toFile()).start();
        S3ProxyProcess s3 = new S3ProxyProcess(p, "http://127.0.0.1:" + port);
        for (int i = 0; i < 300; i++) {
            if (!p.isAlive()) {
                throw new IllegalStateException("s3proxy exited: " + Files.readString(dir.resolve("s3proxy.log")));
            }
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return s3;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        s3.close();
        throw new IllegalStateException("s3proxy did not listen on " + port + " within 30 s");
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
