package dev.roboflare.agent.download;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roboflare.agent.testing.FakeControlPlane;
import dev.roboflare.protocol.AgentApi;
import dev.roboflare.protocol.ArtifactKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactDownloaderTest {
    @TempDir
    Path dir;
    MockWebServer server;
    ArtifactDownloader downloader;
    final byte[] bytes = new byte[300_000];

    @BeforeEach
    void setUp() throws Exception {
        new Random(7).nextBytes(bytes);
        server = new MockWebServer();
        server.start();
        downloader = new ArtifactDownloader(new OkHttpClient.Builder().readTimeout(5, TimeUnit.SECONDS).build(),
                dir, null);
    }

    @AfterEach
    void tearDown() throws Exception {
        server.shutdown();
    }

    private AgentApi.Artifact artifact(String sha, long size) {
        return new AgentApi.Artifact("a1", ArtifactKind.APP_TARBALL, "app", sha, size,
                server.url("/blob?sig=x").toString());
    }

    private static MockResponse body(byte[] b) {
        return new MockResponse().setBody(new Buffer().write(b));
    }

    @Test
    void goodDownloadIsHashedWhileStreaming() throws Exception {
        server.enqueue(body(bytes));
        String sha = FakeControlPlane.sha256(bytes);
        ArtifactDownloader.Result r = downloader.download(artifact(sha, bytes.length));
        assertThat(r.size()).isEqualTo(bytes.length);
        assertThat(r.sha256()).isEqualTo(sha);
        assertThat(Files.readAllBytes(r.file())).isEqualTo(bytes);
        assertThat(r.file()).isEqualTo(dir.resolve(sha + ".part"));
    }

    @Test
    void wrongBytesAreMeasuredNotTrusted() throws Exception {
        byte[] tampered = bytes.clone();
        tampered[1000] ^= 1;
        server.enqueue(body(tampered));
        String sha = FakeControlPlane.sha256(bytes);
        ArtifactDownloader.Result r = downloader.download(artifact(sha, bytes.length));
        assertThat(r.sha256()).isEqualTo(FakeControlPlane.sha256(tampered)).isNotEqualTo(sha);
    }

    @Test
    void longerArtifactIsCountedButNeverStoredBeyondTheDeclaredSize() throws Exception {
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 5000);
        server.enqueue(body(longer));
        ArtifactDownloader.Result r = downloader.download(artifact(FakeControlPlane.sha256(bytes), bytes.length));
        assertThat(r.size()).isEqualTo(longer.length);
        assertThat(Files.size(r.file())).isEqualTo(bytes.length);
    }

    @Test
    void shorterArtifactHasTheWrongSize() throws Exception {
        server.enqueue(body(Arrays.copyOf(bytes, 1000)));
        ArtifactDownloader.Result r = downloader.download(artifact(FakeControlPlane.sha256(bytes), bytes.length));
        assertThat(r.size()).isEqualTo(1000);
    }

    @Test
    void resumesFromAPartFileWithRange() throws Exception {
        String sha = FakeControlPlane.sha256(bytes);
        Files.write(dir.resolve(sha + ".part"), Arrays.copyOf(bytes, 100_000));
        server.enqueue(body(Arrays.copyOfRange(bytes, 100_000, bytes.length)).setResponseCode(206)
                .setHeader("Content-Range", "bytes 100000-" + (bytes.length - 1) + "/" + bytes.length));
        ArtifactDownloader.Result r = downloader.download(artifact(sha, bytes.length));
        RecordedRequest req = server.takeRequest();
        assertThat(req.getHeader("Range")).isEqualTo("bytes=100000-");
        assertThat(req.getHeader("Authorization")).isNull();
        assertThat(r.sha256()).isEqualTo(sha);
        assertThat(r.resumedFrom()).isEqualTo(100_000);
        assertThat(Files.readAllBytes(r.file())).isEqualTo(bytes);
    }

    @Test
    void droppedConnectionIsRetriedAndResumed() throws Exception {
        String sha = FakeControlPlane.sha256(bytes);
        server.enqueue(body(bytes).setSocketPolicy(SocketPolicy.DISCONNECT_DURING_RESPONSE_BODY));
        assertThatThrownBy(() -> downloader.download(artifact(sha, bytes.length)))
                .isInstanceOf(DownloadInterruptedException.class);
        long kept = Files.size(dir.resolve(sha + ".part"));
        assertThat(kept).isGreaterThan(0).isLessThan(bytes.length);
        server.takeRequest();

        server.enqueue(body(Arrays.copyOfRange(bytes, (int) kept, bytes.length)).setResponseCode(206)
                .setHeader("Content-Range", "bytes " + kept + "-" + (bytes.length - 1) + "/" + bytes.length));
        ArtifactDownloader.Result r = downloader.download(artifact(sha, bytes.length));
        assertThat(server.takeRequest().getHeader("Range")).isEqualTo("bytes=" + kept + "-");
        assertThat(r.sha256()).isEqualTo(sha);
    }

    @Test
    void deadServerIsAnInterruptionNotAFailure() throws Exception {
        String sha = FakeControlPlane.sha256(bytes);
        AgentApi.Artifact a = artifact(sha, bytes.length);
        server.shutdown();
        assertThatThrownBy(() -> downloader.download(a)).isInstanceOf(DownloadInterruptedException.class)
                .hasMessageContaining("cannot reach");
    }

    @Test
    void serverIgnoringRangeStartsOver() throws Exception {
        String sha = FakeControlPlane.sha256(bytes);
        Files.write(dir.resolve(sha + ".part"), Arrays.copyOf(bytes, 5000));
        server.enqueue(body(bytes));
        ArtifactDownloader.Result r = downloader.download(artifact(sha, bytes.length));
        assertThat(r.sha256()).isEqualTo(sha);
        assertThat(Files.size(r.file())).isEqualTo(bytes.length);
    }
}
