package dev.roboflare.agent;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The training run of packaging/make-cds-archive: {@code java -XX:ArchiveClassesAtExit=A -cp roboflare-agent.jar
 * dev.roboflare.agent.CdsTraining WORK_DIR}. It runs the agent as the unit does, against a control plane on
 * loopback that has nothing to deploy, until the agent has polled twice, and exits: the archive then holds the
 * classes of start-up and of an idle poll (the HTTP client, the JSON of the answer), which is what an idle agent
 * keeps loaded. Everything it writes is under WORK_DIR; it never talks to a real control plane.
 */
public final class CdsTraining {
    private static final byte[] NOTHING_TO_DEPLOY =
            "{\"deployments\":[],\"poll_interval_seconds\":1}".getBytes(StandardCharsets.UTF_8);

    private CdsTraining() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length != 1) {
            System.err.println("usage: CdsTraining WORK_DIR");
            System.exit(2);
        }
        Path work = Files.createDirectories(Path.of(args[0]));
        Path token = Files.writeString(work.resolve("token"), "cds-training");
        CountDownLatch polls = new CountDownLatch(2);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/agent/deployments", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, NOTHING_TO_DEPLOY.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(NOTHING_TO_DEPLOY);
            }
            polls.countDown();
        });
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        Thread agent = new Thread(() -> Main.run(new String[] {"--control-plane", url, "--token-file",
            token.toString(), "--state-dir", work.resolve("state").toString(), "--executor", "symlink",
            "--poll-interval", "1s"}), "agent");
        agent.setDaemon(true);
        agent.start();
        boolean polled = polls.await(90, TimeUnit.SECONDS);
        Thread.sleep(200); // the second answer read and logged
        System.exit(polled ? 0 : 1);
    }
}
