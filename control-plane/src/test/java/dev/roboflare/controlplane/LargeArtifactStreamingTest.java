package dev.roboflare.controlplane;

import dev.roboflare.protocol.Sha256;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Surefire runs this JVM with -Xmx128m (see pom.xml). The artifact is 512 MiB, four times the whole heap, so
 * if Javalin or our code buffered the upload or the download anywhere this would die with OutOfMemoryError.
 */
class LargeArtifactStreamingTest {
    private static final long SIZE = 512L * 1024 * 1024;

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void artifactsFarLargerThanTheHeapStreamInAndOut(TestDatabase database) throws Exception {
        long maxHeap = Runtime.getRuntime().maxMemory();
        assertThat(maxHeap).as("test JVM heap").isLessThan(SIZE / 2);

        try (TestServer server = TestServer.start(database)) {
            MessageDigest sent = Sha256.newDigest();
            TestServer.Reply r = server.upload("full_image_ab", "big-image", () -> new PatternStream(SIZE, sent));
            assertThat(r.status()).as(r.body()).isEqualTo(201);
            JsonNode artifact = r.json();
            assertThat(artifact.get("size").asLong()).isEqualTo(SIZE);
            assertThat(artifact.get("sha256").asText()).isEqualTo(HexFormat.of().formatHex(sent.digest()));

            // Download it back through a signed URL and hash it while it streams.
            JsonNode robot = server.robot("big");
            String robotToken = robot.get("token").asText();
            String release = server.releaseId(artifact.get("id").asText(), "1.0.0");
            server.deployToRobot(release, robot.get("id").asText());
            String url = server.get("/api/agent/deployments", robotToken).json()
                    .get("deployments").get(0).get("artifact").get("download_url").asText();

            HttpResponse<InputStream> download = server.sendStreaming(server.request(url, null).GET().build());
            assertThat(download.statusCode()).isEqualTo(200);
            assertThat(download.headers().firstValueAsLong("Content-Length")).hasValue(SIZE);
            MessageDigest received = Sha256.newDigest();
            long total = 0;
            try (InputStream in = download.body()) {
                byte[] buf = new byte[64 * 1024];
                for (int n; (n = in.read(buf)) != -1; ) {
                    received.update(buf, 0, n);
                    total += n;
                }
            }
            assertThat(total).isEqualTo(SIZE);
            assertThat(HexFormat.of().formatHex(received.digest())).isEqualTo(artifact.get("sha256").asText());
        }
    }

    /** Deterministic, non-repeating-per-block bytes generated on the fly, hashed as they are read. */
    private static final class PatternStream extends InputStream {
        private final long size;
        private final MessageDigest digest;
        private long position;

        PatternStream(long size, MessageDigest digest) {
            this.size = size;
            this.digest = digest;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (position >= size) {
                return -1;
            }
            int n = (int) Math.min(len, size - position);
            for (int i = 0; i < n; i++) {
                long p = position + i;
                b[off + i] = (byte) (p ^ (p >>> 13) ^ (p >>> 21));
            }
            digest.update(b, off, n);
            position += n;
            return n;
        }
    }
}
