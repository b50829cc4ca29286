package dev.roboflare.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roboflare.testkit.ControlPlaneProcess;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 23, finding 1: clients that hold sockets open on purpose must not starve the robots. 380 connections from
 * this test (real sockets against the shipped jar) each trickle one byte a second: unauthenticated status-page
 * logins announcing a small form and a 100 kB one, uploads by a valid operator token (330 requests whose bodies a
 * handler would wait for, more than Jetty's 250 threads), and requests whose headers never end. Meanwhile a robot's
 * polls must keep getting answers in under a second. Before the fix they timed out.
 */
class SlowClientsTest {
    private static final int PER_BODY_KIND = 110;
    private static final int SLOW_HEADERS = 50;

    @TempDir
    Path work;
    ControlPlaneProcess cp;
    final List<Socket> slow = new ArrayList<>();
    final List<Socket> slowHeaders = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (Socket s : slow) {
            s.close();
        }
        if (cp != null) {
            cp.close();
        }
    }

    @Test
    void robotsKeepPollingWhileHundredsOfSlowClientsHoldSockets() throws Exception {
        cp = ControlPlaneProcess.start(work);
        OperatorClient operator = new OperatorClient(cp.baseUrl(), cp.operatorToken());
        String robotToken = operator.enrollRobot("poller").token();
        int port = URI.create(cp.baseUrl()).getPort();
        String auth = "Authorization: Bearer " + cp.operatorToken() + "\r\n";
        for (int i = 0; i < PER_BODY_KIND; i++) {
            slow.add(open(port, "POST /ui/login", "Content-Type: application/x-www-form-urlencoded\r\n"
                    + "Content-Length: 2000\r\n\r\ntoken="));
            slow.add(open(port, "POST /ui/login", "Content-Type: application/x-www-form-urlencoded\r\n"
                    + "Content-Length: 100000\r\n\r\ntoken="));
            slow.add(open(port, "POST /api/artifacts?kind=app_tarball&name=slow-" + i, auth
                    + "Content-Length: 100000000\r\n\r\nx"));
        }
        for (int i = 0; i < SLOW_HEADERS; i++) {
            slowHeaders.add(open(port, "GET /api/robots", "X-Slow: ")); // headers that never end
        }

        List<Socket> slowBodies = List.copyOf(slow);
        slow.addAll(slowHeaders);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest poll = HttpRequest.newBuilder(URI.create(cp.baseUrl() + "/api/agent/deployments"))
                .header("Authorization", "Bearer " + robotToken).timeout(Duration.ofSeconds(10)).build();
        List<Long> millis = new ArrayList<>();
        for (int round = 0; round < 20; round++) {
            trickle();
            long t0 = System.nanoTime();
            try {
                HttpResponse<String> r = http.send(poll, HttpResponse.BodyHandlers.ofString());
                millis.add((System.nanoTime() - t0) / 1_000_000);
                assertThat(r.statusCode()).as("poll %d: %s", round, r.body()).isEqualTo(200);
            } catch (java.net.http.HttpTimeoutException starved) {
                millis.add((System.nanoTime() - t0) / 1_000_000);
            }
            Thread.sleep(1_000);
        }
        assertThat(millis).as("poll latencies in ms while %d slow sockets were open", slow.size())
                .allMatch(ms -> ms < 1_000);
        for (Socket s : slowBodies) { // answered and closed: refused at once (413, 503) or cut for being slow (408)
            s.setSoTimeout(2_000);
            assertThat(readAll(s)).as("what a slow-body socket got").matches("(?s)HTTP/1\\.1 (408|413|503) .*");
        }
        for (Socket s : slowHeaders) { // closed by the server: headers must be complete within 5 to 10 s
            s.setSoTimeout(2_000);
            assertThat(readAll(s)).as("what a slow-header socket got").isEmpty();
        }
        assertThat(cp.logText()).as("an attacker's slow sockets must not each log a stack trace")
                .doesNotContain("BadMessageException").doesNotContain("ERROR");
    }

    private Socket open(int port, String requestLine, String headers) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        s.getOutputStream().write((requestLine + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n" + headers)
                .getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        return s;
    }

    /** Everything the server sent before it closed the socket (a timeout here means it is still open). */
    private static String readAll(Socket s) throws IOException {
        return new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
    }

    /** One more byte on every slow socket (those the server closed are skipped). */
    private void trickle() {
        for (Socket s : slow) {
            try {
                OutputStream out = s.getOutputStream();
                out.write('x');
                out.flush();
            } catch (IOException closedByServer) {
                // refused (503/413/408) or timed out: what the server should do
            }
        }
    }
}
