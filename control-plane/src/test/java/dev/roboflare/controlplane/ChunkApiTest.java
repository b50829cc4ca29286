package dev.roboflare.controlplane;

import static dev.roboflare.controlplane.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roboflare.protocol.Sha256;
import dev.roboflare.protocol.ChunkIndex;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Delta downloads at the control plane: chunk indexes made at upload, the signed chunks_url, deduplicated chunks. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChunkApiTest {
    TestServer server;

    @BeforeAll
    void start() throws IOException {
        server = TestServer.start();
    }

    @AfterAll
    void stop() {
        server.close();
    }

    static byte[] random(long seed, int size) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    static byte[] gzip(byte[] content) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(content);
        }
        return out.toByteArray();
    }

    static String sha256(byte[] b) {
        return Sha256.hex(b);
    }

    private JsonNode deployedArtifact(String artifactId, String robotName) {
        String releaseId = server.releaseId(artifactId, "1.0.0");
        JsonNode robot = server.robot(robotName);
        server.deployToRobot(releaseId, robot.get("id").asText());
        return server.get("/api/agent/deployments", robot.get("token").asText()).json()
                .get("deployments").get(0).get("artifact");
    }

    private long chunkFiles() throws IOException {
        Path dir = server.dataDir.resolve("artifacts/chunks");
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).count();
        }
    }

    @Test
    void aGzippedTarballIsChunkedOverItsUncompressedBytesAndServedBySignedChunksUrl() throws IOException {
        byte[] content = random(11, 1_500_000);
        JsonNode uploaded = server.upload("app_tarball", "chunked-app", gzip(content)).json();
        String id = uploaded.get("id").asText();

        JsonNode summary = server.get("/api/artifacts/" + id + "/content").json();
        assertThat(summary.get("over").asText()).isEqualTo("gunzipped");
        assertThat(summary.get("content_sha256").asText()).isEqualTo(sha256(content));
        assertThat(summary.get("content_size").asLong()).isEqualTo(content.length);

        JsonNode artifact = deployedArtifact(id, "chunk-robot");
        String chunksUrl = artifact.get("chunks_url").asText();
        assertThat(chunksUrl).startsWith(server.baseUrl + "/api/artifacts/" + id + "/chunks?expires=").contains("&sig=");
        HttpResponse<InputStream> indexReply = server.sendStreaming(server.request(chunksUrl, null).GET().build());
        assertThat(indexReply.statusCode()).isEqualTo(200);
        ChunkIndex index = ChunkIndex.decode(indexReply.body());
        assertThat(index.contentSha256()).isEqualTo(sha256(content));
        assertThat(index.chunks().size()).as("1.5 MB at a 64 KiB average").isBetween(6, 60);

        ChunkIndex.Chunk second = index.chunks().get(1);
        ChunkIndex.Chunk last = index.chunks().get(index.chunks().size() - 1);
        HttpResponse<InputStream> batch = server.sendStreaming(server.request(chunksUrl, null)
                .header("Accept-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofString(second.sha256() + "\n" + last.sha256() + "\n")).build());
        assertThat(batch.statusCode()).isEqualTo(200);
        assertThat(batch.headers().firstValue("Content-Encoding")).hasValue("gzip");
        try (DataInputStream in = new DataInputStream(new GZIPInputStream(batch.body()))) {
            for (ChunkIndex.Chunk c : new ChunkIndex.Chunk[] {second, last}) {
                byte[] data = new byte[in.readInt()];
                in.readFully(data);
                assertThat(data).isEqualTo(Arrays.copyOfRange(content, (int) c.offset(), (int) c.offset() + c.size()));
            }
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    @Test
    void chunksUrlRefusesTamperedSignaturesDownloadSignaturesAndForeignChunks() throws IOException {
        String id = server.upload("app_tarball", "guarded-app", gzip(random(12, 300_000))).json().get("id").asText();
        JsonNode artifact = deployedArtifact(id, "guard-robot");
        String chunksUrl = artifact.get("chunks_url").asText();
        String downloadSig = artifact.get("download_url").asText().replaceFirst(".*\\?", "?");

        char first = chunksUrl.charAt(chunksUrl.indexOf("sig=") + 4);
        String tampered = chunksUrl.replace("sig=" + first, "sig=" + (first == '0' ? '1' : '0')); // always a change
        assertProblem(server.get(tampered, null), 403, "signature does not match");
        assertProblem(server.get(server.baseUrl + "/api/artifacts/" + id + "/chunks" + downloadSig, null), 403,
                "signature does not match");
        assertProblem(server.get(server.baseUrl + "/api/artifacts/" + id + "/chunks", null), 403, "not signed");
        String foreign = "f".repeat(64);
        assertProblem(server.send(server.request(chunksUrl, null)
                .POST(HttpRequest.BodyPublishers.ofString(foreign + "\n")).build()), 400, foreign);
    }

    @Test
    void chunksAreStoredOnceAcrossArtifactsAndContainerImagesAreChunkedAsStored() throws IOException {
        byte[] shared = random(13, 2_000_000);
        server.upload("app_tarball", "dedup-a", gzip(shared));
        long before = chunkFiles();
        byte[] extended = Arrays.copyOf(shared, shared.length + 100_000);
        System.arraycopy(random(14, 100_000), 0, extended, shared.length, 100_000);
        String id = server.upload("app_tarball", "dedup-b", gzip(extended)).json().get("id").asText();

        long added = chunkFiles() - before;
        assertThat(added).as("only the chunks at the new end are stored").isBetween(1L, 4L);
        assertThat(server.get("/api/artifacts/" + id + "/content").json().get("content_sha256").asText())
                .isEqualTo(sha256(extended));

        byte[] image = random(15, 200_000);
        String imageId = server.upload("container_image", "cam", image).json().get("id").asText();
        JsonNode imageContent = server.get("/api/artifacts/" + imageId + "/content").json();
        assertThat(imageContent.get("over").asText()).isEqualTo("artifact");
        assertThat(imageContent.get("content_sha256").asText()).isEqualTo(sha256(image));
    }
}
