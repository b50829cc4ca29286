package dev.roboflare.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roboflare.protocol.OperatorApi;
import dev.roboflare.testkit.ControlPlaneProcess;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 23, findings 2 to 9 and the "also" list, each against the shipped jar as an outsider, an operator or a
 * robot would meet it: started under umask 022 with --max-artifact-size 1M.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HttpHardeningTest {
    @TempDir
    static Path work;
    ControlPlaneProcess cp;
    OperatorClient operator;
    String token;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    void start() throws Exception {
        cp = ControlPlaneProcess.start(work, List.of("--max-artifact-size", "1M"), "http", http, "022");
        token = cp.operatorToken();
        operator = new OperatorClient(cp.baseUrl(), token);
    }

    @AfterAll
    void stop() throws Exception {
        cp.close();
    }

    private HttpResponse<String> send(String method, String path, String bearer, HttpRequest.BodyPublisher body,
                                      String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(cp.baseUrl() + path)).method(method, body)
                .timeout(Duration.ofSeconds(20));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path, String bearer) throws Exception {
        return send("GET", path, bearer, BodyPublishers.noBody());
    }

    // 2. --max-artifact-size and per-organisation quotas

    @Test
    void anArtifactOverMaxArtifactSizeIsRefusedWithTheLimitAndLeavesNothingBehind() throws Exception {
        HttpResponse<String> declared = send("POST", "/api/artifacts?kind=app_tarball&name=zeros", token,
                BodyPublishers.ofByteArray(new byte[2 << 20]));
        assertThat(declared.statusCode()).isEqualTo(413);
        assertThat(declared.body()).contains("at most 1 MiB").contains("--max-artifact-size");

        // chunked: no size up front, so the limit is enforced while the bytes stream in
        String chunked = rawChunkedUpload("/api/artifacts?kind=app_tarball&name=zeros", token, 3 << 20);
        assertThat(chunked).startsWith("HTTP/1.1 413").contains("larger than 1 MiB").contains("nothing was stored");
        try (Stream<Path> left = Files.list(cp.dataDir().resolve("artifacts/incoming"))) {
            assertThat(left).as("partial uploads are deleted").isEmpty();
        }
        try (Stream<Path> blobs = Files.list(cp.dataDir().resolve("artifacts/sha256"))) {
            assertThat(blobs.filter(p -> Files.isRegularFile(p)).map(p -> {
                try {
                    return Files.size(p);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            })).allMatch(size -> size <= 1 << 20);
        }
        assertThat(chunkIndexOf(new byte[2 << 20])).as("a refused upload is not cut into chunks").doesNotExist();
        assertThat(chunkIndexOf(new byte[3 << 20])).doesNotExist();
    }

    /** Where the control plane would keep the delta-download chunk index of these bytes. */
    private Path chunkIndexOf(byte[] bytes) throws Exception {
        return cp.dataDir().resolve("artifacts/chunk-indexes/sha256/" + java.util.HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-256").digest(bytes)));
    }

    @Test
    void anOrganisationCannotStoreMoreThanItsQuota() throws Exception {
        HttpResponse<String> org = send("POST", "/api/orgs", token,
                BodyPublishers.ofString("{\"name\": \"quota-lab\", \"quota\": \"1500K\"}"),
                "Content-Type", "application/json");
        assertThat(org.statusCode()).as(org.body()).isEqualTo(201);
        assertThat(OperatorClient.JSON.readTree(org.body()).get("quota_bytes").asLong()).isEqualTo(1500 * 1024);
        HttpResponse<String> created = send("POST", "/api/operator-tokens", token,
                BodyPublishers.ofString("{\"name\": \"ci\", \"org\": \"quota-lab\"}"), "Content-Type",
                "application/json");
        String labToken = OperatorClient.JSON.readTree(created.body()).get("token").asText();

        byte[] first = new byte[900 * 1024];
        assertThat(send("POST", "/api/artifacts?kind=app_tarball&name=one", labToken,
                BodyPublishers.ofByteArray(first)).statusCode()).isEqualTo(201);
        byte[] second = new byte[900 * 1024];
        second[0] = 1;
        HttpResponse<String> over = send("POST", "/api/artifacts?kind=app_tarball&name=two", labToken,
                BodyPublishers.ofByteArray(second));
        assertThat(over.statusCode()).isEqualTo(413);
        assertThat(over.body()).contains("organisation quota-lab has used 900 KiB of its 1.5 MiB storage quota");
        assertThat(chunkIndexOf(first)).as("the stored artifact is chunked for delta downloads").exists();
        assertThat(chunkIndexOf(second)).as("the refused one is not").doesNotExist();
        String chunked = rawChunkedUpload("/api/artifacts?kind=app_tarball&name=two", labToken, 900 * 1024);
        assertThat(chunked).startsWith("HTTP/1.1 413").contains("storage quota");

        JsonNode orgs = OperatorClient.JSON.readTree(get("/api/orgs", token).body());
        JsonNode lab = null;
        for (JsonNode o : orgs) {
            if (o.get("name").asText().equals("quota-lab")) {
                lab = o;
            }
        }
        assertThat(lab).isNotNull();
        assertThat(lab.get("used_bytes").asLong()).isEqualTo(900 * 1024);
    }

    /** Sends {@code size} zero bytes as a chunked body, stopping when the server answers; returns its answer. */
    private String rawChunkedUpload(String path, String bearer, int size) throws Exception {
        URI base = URI.create(cp.baseUrl());
        try (Socket s = new Socket(base.getHost(), base.getPort())) {
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: " + base.getAuthority() + "\r\nAuthorization: Bearer "
                    + bearer + "\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[64 * 1024];
            try {
                for (int sent = 0; sent < size; sent += chunk.length) {
                    out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(chunk);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (java.io.IOException refusedMidway) {
                // the server answered and closed while we were still sending: read what it said
            }
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    // 3. Range overflow, 4. HEAD

    @Test
    void downloadsAnswerOverflowingRangesWithoutA500AndHeadChecksTheSignature() throws Exception {
        OperatorApi.Artifact artifact = operator.uploadArtifact("app_tarball", "ranged",
                "0123456789".getBytes(StandardCharsets.US_ASCII));
        OperatorApi.RobotCredentials robot = operator.enrollRobot("ranger");
        OperatorApi.Release release = operator.createRelease(artifact.id(), "1.0.0",
                OperatorClient.JSON.readTree("{\"entrypoint\": [\"bin/app\"]}"));
        operator.deployToRobot(release.id(), robot.id());
        JsonNode polled = OperatorClient.JSON.readTree(get("/api/agent/deployments", robot.token()).body());
        String url = polled.findValue("download_url").asText();
        String path = url.substring(url.indexOf("/api/"));

        HttpResponse<String> huge = send("GET", path, null, BodyPublishers.noBody(),
                "Range", "bytes=99999999999999999999-");
        assertThat(huge.statusCode()).isEqualTo(416);
        assertThat(huge.headers().firstValue("Content-Range")).contains("bytes */10");
        HttpResponse<String> hugeEnd = send("GET", path, null, BodyPublishers.noBody(),
                "Range", "bytes=0-99999999999999999999");
        assertThat(hugeEnd.statusCode()).isEqualTo(206);
        assertThat(hugeEnd.body()).isEqualTo("0123456789");
        assertThat(send("GET", path, null, BodyPublishers.noBody(), "Range", "bytes=4-").body()).isEqualTo("456789");

        assertThat(send("HEAD", "/api/robots", null, BodyPublishers.noBody()).statusCode()).isEqualTo(401);
        assertThat(send("HEAD", "/api/robots", "not-a-token", BodyPublishers.noBody()).statusCode()).isEqualTo(401);
        assertThat(send("HEAD", path.replaceAll("sig=[^&]+", "sig=AAAA"), null, BodyPublishers.noBody())
                .statusCode()).isEqualTo(403);
        HttpResponse<String> head = send("HEAD", path, null, BodyPublishers.noBody());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("Content-Length")).contains("10");
        assertThat(head.body()).isEmpty();
        assertThat(send("HEAD", "/api/robots", token, BodyPublishers.noBody()).statusCode()).isEqualTo(200);
    }

    // 5. manifest depth and size

    @Test
    void aDeeplyNestedOrHugeManifestIsRefusedAtReleaseCreation() throws Exception {
        OperatorApi.Artifact artifact = operator.uploadArtifact("app_tarball", "nested", new byte[] {1, 2, 3});
        String deep = "{\"a\":".repeat(997) + "{}" + "}".repeat(997);
        HttpResponse<String> r = send("POST", "/api/releases", token, BodyPublishers.ofString(
                "{\"artifact_id\": \"" + artifact.id() + "\", \"semver\": \"1.0.0\", \"manifest_json\": " + deep
                        + "}"), "Content-Type", "application/json");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("manifest_json is nested").contains("at most 32");

        ObjectNode big = OperatorClient.JSON.createObjectNode();
        big.put("blob", "x".repeat(70 * 1024));
        HttpResponse<String> huge = send("POST", "/api/releases", token, BodyPublishers.ofString(
                "{\"artifact_id\": \"" + artifact.id() + "\", \"semver\": \"1.0.1\", \"manifest_json\": " + big
                        + "}"), "Content-Type", "application/json");
        assertThat(huge.statusCode()).isEqualTo(400);
        assertThat(huge.body()).contains("at most 65536");

        // the deepest accepted manifest still reaches a robot: its poll answers 200
        String ok = "{\"a\":".repeat(31) + "{}" + "}".repeat(31);
        OperatorApi.Release release = operator.createRelease(artifact.id(), "1.0.2", OperatorClient.JSON.readTree(ok));
        OperatorApi.RobotCredentials robot = operator.enrollRobot("deep-reader");
        operator.deployToRobot(release.id(), robot.id());
        assertThat(get("/api/agent/deployments", robot.token()).statusCode()).isEqualTo(200);
    }

    // 6. login CSRF, 7. cookie flags over plain HTTP

    @Test
    void aCrossSiteLoginIsRefusedAndASameSiteOneWorks() throws Exception {
        String form = "token=" + token;
        HttpResponse<String> evil = send("POST", "/ui/login", null, BodyPublishers.ofString(form),
                "Content-Type", "application/x-www-form-urlencoded", "Origin", "https://evil.example");
        assertThat(evil.statusCode()).isEqualTo(403);
        assertThat(evil.headers().firstValue("Set-Cookie")).isEmpty();
        HttpResponse<String> fetchSite = send("POST", "/ui/login", null, BodyPublishers.ofString(form),
                "Content-Type", "application/x-www-form-urlencoded", "Sec-Fetch-Site", "cross-site");
        assertThat(fetchSite.statusCode()).isEqualTo(403);
        assertThat(fetchSite.headers().firstValue("Set-Cookie")).isEmpty();
        // a cross-site link to the token-in-URL login logs in too: refused the same way
        HttpResponse<String> link = send("GET", "/ui/login?token=" + token, null, BodyPublishers.noBody(),
                "Sec-Fetch-Site", "cross-site");
        assertThat(link.statusCode()).isEqualTo(403);
        assertThat(link.headers().firstValue("Set-Cookie")).isEmpty();

        HttpResponse<String> same = send("POST", "/ui/login", null, BodyPublishers.ofString(form),
                "Content-Type", "application/x-www-form-urlencoded", "Origin", cp.baseUrl(),
                "Sec-Fetch-Site", "same-origin");
        assertThat(same.statusCode()).isEqualTo(303);
        // Chromium posts the page's own forms with "Origin: null" (the page's Referrer-Policy is no-referrer) and
        // Sec-Fetch-Site: same-origin, which decides
        HttpResponse<String> nullOrigin = send("POST", "/ui/login", null, BodyPublishers.ofString(form),
                "Content-Type", "application/x-www-form-urlencoded", "Origin", "null", "Sec-Fetch-Site", "same-origin");
        assertThat(nullOrigin.statusCode()).isEqualTo(303);
        HttpResponse<String> nullOriginAlone = send("POST", "/ui/login", null, BodyPublishers.ofString(form),
                "Content-Type", "application/x-www-form-urlencoded", "Origin", "null");
        assertThat(nullOriginAlone.statusCode()).as("an opaque origin without Sec-Fetch-Site").isEqualTo(403);
        assertThat(same.headers().firstValue("Set-Cookie")).hasValueSatisfying(c ->
                assertThat(c).contains("HttpOnly").contains("SameSite=Strict").doesNotContain("Secure"));
        assertThat(same.headers().firstValue("Strict-Transport-Security")).as("no HSTS over plain HTTP").isEmpty();
    }

    // 8. log forging

    @Test
    void namesWithControlCharactersAreRefusedAndNothingUserSuppliedForgesALogLine() throws Exception {
        HttpResponse<String> robot = send("POST", "/api/robots", token,
                BodyPublishers.ofString("{\"name\": \"arm\\n2026-01-01T00:00:00.000Z [main] INFO FORGED\"}"),
                "Content-Type", "application/json");
        assertThat(robot.statusCode()).isEqualTo(400);
        assertThat(robot.body()).contains("control character U+000A");
        HttpResponse<String> artifact = send("POST", "/api/artifacts?kind=app_tarball&name=app%0AFORGED", token,
                BodyPublishers.ofByteArray(new byte[] {1}));
        assertThat(artifact.statusCode()).isEqualTo(400);
        HttpResponse<String> fleet = send("POST", "/api/fleets", token,
                BodyPublishers.ofString("{\"name\": \"bay\\u001b[2J\", \"robot_ids\": []}"),
                "Content-Type", "application/json");
        assertThat(fleet.statusCode()).isEqualTo(400);
        assertThat(cp.logText().lines()).noneMatch(l -> l.startsWith("FORGED") || l.contains("INFO FORGED"));
    }

    /** First, so that the other tests' refused requests do not use up this minute's twenty log lines. */
    @Test
    @Order(1)
    void failedAuthenticationsAreLoggedWithTheSourceAddressAtMostTwentyAMinute() throws Exception {
        // an encoded newline in the path stays on the one line
        send("GET", "/api/robots/x%0AFORGED-AUTH", "wrong-token", BodyPublishers.noBody());
        assertThat(cp.logText()).contains("authentication failed: unknown or revoked operator token on GET "
                + "/api/robots/x%0AFORGED-AUTH from 127.0.0.1");
        assertThat(cp.logText().lines()).noneMatch(l -> l.startsWith("FORGED"));
        for (int i = 0; i < 40; i++) {
            get("/api/fleets?attempt=" + i, "guess-" + i);
        }
        long lines = cp.logText().lines().filter(l -> l.contains("authentication failed")).count();
        assertThat(lines).isBetween(1L, 20L);
    }

    // 9. data dir and files private under umask 022; "also": nosniff

    @Test
    void theDataDirAndItsFilesArePrivateUnderTheCommonUmask() throws Exception {
        operator.uploadArtifact("app_tarball", "private", new byte[] {9, 9});
        Path data = cp.dataDir();
        assertThat(mode(data)).isEqualTo("rwx------");
        for (String f : List.of("roboflare.db", "roboflare.db-wal", "roboflare.db-shm", "operator-token")) {
            assertThat(mode(data.resolve(f))).as(f).isEqualTo("rw-------");
        }
        assertThat(mode(data.resolve("artifacts/sha256"))).isEqualTo("rwx------");
        try (Stream<Path> blobs = Files.list(data.resolve("artifacts/sha256"))) {
            assertThat(blobs).allSatisfy(b -> assertThat(mode(b)).isEqualTo("rw-------"));
        }
        for (String d : List.of("artifacts/chunks", "artifacts/chunk-indexes")) { // delta downloads: artifact bytes too
            try (Stream<Path> tree = Files.walk(data.resolve(d))) {
                assertThat(tree).allSatisfy(p -> assertThat(mode(p)).as(p.toString())
                        .isEqualTo(Files.isDirectory(p) ? "rwx------" : "rw-------"));
            }
        }
    }

    private static String mode(Path p) {
        try {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void everyResponseSaysNoSniff() throws Exception {
        for (HttpResponse<String> r : List.of(get("/api/robots", token), get("/api/robots", null),
                get("/no/such/route", null), get("/ui/login", null))) {
            assertThat(r.headers().firstValue("X-Content-Type-Options")).as(r.uri() + " " + r.statusCode())
                    .contains("nosniff");
        }
    }
}
