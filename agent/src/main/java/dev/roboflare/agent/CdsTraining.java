package dev.roboflare.agent;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The training run of packaging/make-cds-archive: {@code java -XX:ArchiveClassesAtExit=A -cp roboflare-agent.jar
 * dev.roboflare.agent.CdsTraining WORK_DIR}. It runs the agent as the unit does, against a control plane on
 * loopback that has nothing to deploy, until the agent has polled twice, and exits: the archive then holds the
 * classes of start-up and of an idle poll (the HTTP client, the JSON of the answer), which is what an idle agent
 * keeps loaded. Everything it writes is under WORK_DIR; it never talks to a real control plane.
 *
 * <p>The control plane here is a few lines over a plain {@link ServerSocket}, not the JDK's HttpServer: every class
 * the training run loads goes into the archive, the whole archive is resident in the agent (the JVM relocates it
 * when mapping it), and the agent itself never serves HTTP at idle.
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
        ServerSocket server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (true) {
                try {
                    Socket s = server.accept();
                    Thread t = new Thread(() -> answer(s, polls), "cds-training-connection");
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return;
                }
            }
        }, "cds-training-server");
        acceptor.setDaemon(true);
        acceptor.start();
        String url = "http://127.0.0.1:" + server.getLocalPort();
        Thread agent = new Thread(() -> Main.run(new String[] {"--control-plane", url, "--token-file",
            token.toString(), "--state-dir", work.resolve("state").toString(), "--executor", "symlink",
            "--poll-interval", "1s"}), "agent");
        agent.setDaemon(true);
        agent.start();
        boolean polled = polls.await(90, TimeUnit.SECONDS);
        Thread.sleep(200); // the second answer read and logged
        System.exit(polled ? 0 : 1);
    }

    /** HTTP/1.1 on one kept-alive connection: the poll gets nothing to deploy, anything else an empty 200. */
    private static void answer(Socket socket, CountDownLatch polls) {
        try (socket; InputStream in = new BufferedInputStream(socket.getInputStream());
             OutputStream out = socket.getOutputStream()) {
            String head;
            while ((head = head(in)) != null) {
                int length = 0;
                for (String line : head.split("\r\n")) {
                    if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                        length = Integer.parseInt(line.substring(15).trim());
                    }
                }
                in.readNBytes(length); // a request body (an event), not looked at
                boolean poll = head.startsWith("GET /api/agent/deployments");
                byte[] body = poll ? NOTHING_TO_DEPLOY : new byte[0];
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                        + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
                if (poll) {
                    polls.countDown();
                }
            }
        } catch (IOException | RuntimeException e) {
            // the agent closed the connection, or the run is over
        }
    }

    /** The request line and headers up to the blank line, or null at the end of the connection. */
    private static String head(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int last4 = 0;
        int c;
        while ((c = in.read()) >= 0) {
            b.write(c);
            last4 = last4 << 8 | c;
            if (last4 == 0x0d0a0d0a) {
                return b.toString(StandardCharsets.US_ASCII);
            }
        }
        return null;
    }
}
