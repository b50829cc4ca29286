package dev.roboflare.controlplane;

import dev.roboflare.protocol.Sha256;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roboflare.controlplane.artifacts.S3StoreConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/** --artifact-store s3://bucket against a real S3 server (s3proxy, filesystem backend, loopback). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ParameterizedClass
@EnumSource(TestDatabase.class)
class S3ArtifactStoreTest {
    @Parameter
    TestDatabase database;

    S3ProxyServer s3;
    S3Client bucketView;
    String bucket;
    S3StoreConfig config;
    TestServer server;
    private final HttpClient agentHttp = HttpClient.newHttpClient();

    @BeforeParameterizedClassInvocation
    void start(TestDatabase database) throws Exception {
        s3 = S3ProxyServer.start(Files.createTempDirectory("roboflare-s3"));
        bucketView = S3Client.builder().httpClient(UrlConnectionHttpClient.create()).region(Region.US_EAST_1)
                .endpointOverride(s3.endpoint).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY)))
                .build();
        bucket = "roboflare-" + database.name().toLowerCase(Locale.ROOT);
        bucketView.createBucket(b -> b.bucket(bucket));
        config = S3StoreConfig.parse("s3://" + bucket + "/artifacts", s3.endpoint, null, true,
                S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY);
        server = new TestServer(database, Duration.ofHours(1), config);
    }

    @AfterParameterizedClassInvocation
    void stop() throws Exception {
        server.close();
        bucketView.close();
        s3.close();
    }

    private static byte[] randomBytes(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static String sha256(byte[] bytes) {
        return java.util.HexFormat.of().formatHex(Sha256.newDigest().digest(bytes));
    }

    private HeadObjectResponse head(String sha256) {
        return bucketView.headObject(b -> b.bucket(bucket).key("artifacts/sha256/" + sha256));
    }

    /** What the agent does: deploy the artifact to a fresh robot, poll, return the download_url. */
    private String downloadUrlForNewRobot(TestServer server, String artifactId, String semver) {
        JsonNode robot = server.robot("s3-robot");
        server.deployToRobot(server.releaseId(artifactId, semver), robot.get("id").asText());
        return server.get("/api/agent/deployments", robot.get("token").asText()).json()
                .get("deployments").get(0).get("artifact").get("download_url").asText();
    }

    private HttpResponse<byte[]> agentGet(String url, String range) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET();
        if (range != null) {
            b.header("Range", range);
        }
        return agentHttp.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void uploadLandsInTheBucketAndAgentsDownloadTheExactBytesFromAPresignedUrl() throws Exception {
        byte[] bytes = randomBytes(300_000, 1);
        TestServer.Reply r = server.upload("app_tarball", "s3-app", bytes);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        String sha256 = r.json().get("sha256").asText();
        assertThat(sha256).isEqualTo(sha256(bytes));
        assertThat(r.json().get("size").asLong()).isEqualTo(bytes.length);
        assertThat(head(sha256).contentLength()).isEqualTo(bytes.length);
        assertThat(bucketView.getObjectAsBytes(b -> b.bucket(bucket).key("artifacts/sha256/" + sha256)).asByteArray())
                .isEqualTo(bytes);

        String url = downloadUrlForNewRobot(server, r.json().get("id").asText(), "1.0.0");
        assertThat(url).startsWith(s3.endpoint + "/" + bucket + "/artifacts/sha256/" + sha256 + "?")
                .contains("X-Amz-Signature=");

        HttpResponse<byte[]> whole = agentGet(url, null);
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.body()).isEqualTo(bytes);

        HttpResponse<byte[]> tail = agentGet(url, "bytes=100000-");
        assertThat(tail.statusCode()).isEqualTo(206);
        assertThat(tail.body()).isEqualTo(Arrays.copyOfRange(bytes, 100_000, bytes.length));
    }

    @Test
    void theSameBytesAreUploadedToTheBucketOnce() {
        byte[] bytes = randomBytes(50_000, 2);
        TestServer.Reply first = server.upload("app_tarball", "dedupe", bytes);
        assertThat(first.status()).as(first.body()).isEqualTo(201);
        String sha256 = first.json().get("sha256").asText();
        // Mark the stored object: a second PUT of the same key would replace it and lose the mark.
        bucketView.putObject(b -> b.bucket(bucket).key("artifacts/sha256/" + sha256).metadata(Map.of("mark", "first")),
                RequestBody.fromBytes(bytes));

        TestServer.Reply again = server.upload("app_tarball", "dedupe", bytes);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("id").asText()).isEqualTo(first.json().get("id").asText());
        TestServer.Reply otherName = server.upload("app_tarball", "dedupe-copy", bytes);
        assertThat(otherName.status()).isEqualTo(201);
        assertThat(otherName.json().get("sha256").asText()).isEqualTo(sha256);

        assertThat(head(sha256).metadata()).containsEntry("mark", "first");
        assertThat(bucketView.listObjectsV2(b -> b.bucket(bucket).prefix("artifacts/sha256/" + sha256)).keyCount())
                .isEqualTo(1);
    }

    @Test
    void aTamperedPresignedUrlIsRefused() throws Exception {
        byte[] bytes = randomBytes(10_000, 3);
        String id = server.upload("app_tarball", "tamper", bytes).json().get("id").asText();
        String url = downloadUrlForNewRobot(server, id, "1.0.0");
        assertThat(agentGet(url, null).statusCode()).isEqualTo(200);

        String signature = url.replaceAll(".*X-Amz-Signature=([0-9a-f]+).*", "$1");
        String flipped = (signature.charAt(0) == '0' ? "1" : "0") + signature.substring(1);
        assertThat(agentGet(url.replace(signature, flipped), null).statusCode()).isEqualTo(403);
        // A valid signature for this object does not open another one.
        String otherKey = url.replace("/sha256/" + sha256(bytes), "/sha256/" + "0".repeat(64));
        assertThat(agentGet(otherKey, null).statusCode()).isEqualTo(403);
    }

    @Test
    void anExpiredPresignedUrlIsRefused() throws Exception {
        try (TestServer shortLived = new TestServer(database, Duration.ofSeconds(1), config)) {
            String id = shortLived.upload("app_tarball", "expiring", randomBytes(1_000, 4)).json().get("id").asText();
            String url = downloadUrlForNewRobot(shortLived, id, "1.0.0");
            assertThat(url).contains("X-Amz-Expires=1&");
            Thread.sleep(2_500); // not a timing goal: only waits out the URL's one-second lifetime
            assertThat(agentGet(url, null).statusCode()).isEqualTo(403);
        }
    }

    @Test
    void chunksAndTheChunkIndexLiveInTheBucketAndTheChunksUrlServesThem() throws Exception {
        byte[] content = randomBytes(400_000, 5);
        String id = server.upload("app_tarball", "s3-chunked", ChunkApiTest.gzip(content)).json().get("id")
                .asText();
        String artifactSha = server.get("/api/artifacts/" + id).json().get("sha256").asText();
        JsonNode robot = server.robot("s3-delta-robot");
        server.deployToRobot(server.releaseId(id, "1.0.0"), robot.get("id").asText());
        String chunksUrl = server.get("/api/agent/deployments", robot.get("token").asText()).json()
                .get("deployments").get(0).get("artifact").get("chunks_url").asText();

        assertThat(bucketView.headObject(b -> b.bucket(bucket)
                .key("artifacts/chunk-indexes/sha256/" + artifactSha)).contentLength()).isPositive();
        HttpResponse<java.io.InputStream> indexReply = agentHttp.send(HttpRequest.newBuilder(URI.create(chunksUrl))
                .build(), HttpResponse.BodyHandlers.ofInputStream());
        dev.roboflare.protocol.ChunkIndex index = dev.roboflare.protocol.ChunkIndex.decode(indexReply.body());
        assertThat(index.contentSha256()).isEqualTo(sha256(content));
        dev.roboflare.protocol.ChunkIndex.Chunk first = index.chunks().get(0);
        assertThat(bucketView.headObject(b -> b.bucket(bucket).key("artifacts/chunks/sha256/"
                + first.sha256().substring(0, 2) + "/" + first.sha256())).contentLength()).isEqualTo(first.size());
        HttpResponse<byte[]> batch = agentHttp.send(HttpRequest.newBuilder(URI.create(chunksUrl))
                .POST(HttpRequest.BodyPublishers.ofString(first.sha256())).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(batch.statusCode()).isEqualTo(200);
        assertThat(Arrays.copyOfRange(batch.body(), 4, batch.body().length))
                .isEqualTo(Arrays.copyOfRange(content, 0, first.size()));
    }
}
