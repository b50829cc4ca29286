package dev.roboflare.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roboflare.protocol.ArtifactKind;
import dev.roboflare.protocol.ReleaseKeys;
import dev.roboflare.protocol.ReleaseStatement;
import dev.roboflare.protocol.WireJson;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Organisations and robots never reach each other's rows. The route lists come from the running control plane
 * itself, so a route added later is checked too: a GET is checked on its own (404 for another organisation's id,
 * exactly like an unknown id; lists without the other organisation's ids), a write route fails this test until
 * it is given a body below.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ParameterizedClass
@EnumSource(TestDatabase.class)
class OrganisationIsolationTest {
    private static final Pattern PARAM = Pattern.compile("\\{([a-z_]+)}");
    /** Organisations and operator tokens: the admin token's alone; any other token gets 403 whatever the ids. */
    private static final Set<String> ADMIN_ONLY = Set.of("POST /api/orgs", "GET /api/orgs", "PUT /api/orgs/{name}/quota",
            "POST /api/operator-tokens", "GET /api/operator-tokens", "POST /api/operator-tokens/{token_id}/revoke");
    private static final String DOWNLOAD = "GET /api/artifacts/{id}/download";
    /** Signed like the download (delta downloads): a bearer token opens neither. */
    private static final List<String> CHUNKS = List.of("GET /api/artifacts/{id}/chunks",
            "POST /api/artifacts/{id}/chunks");

    @Parameter
    TestDatabase database;

    TestServer server;
    String tokenA;
    String tokenB;
    KeyPair releaseKey;
    /** Org A's ids by kind (the first segment after /api/), every one of which org B must not reach. */
    final Map<String, List<String>> aIds = new LinkedHashMap<>();
    final Map<String, String> bIds = new LinkedHashMap<>();
    String aRobotToken;
    String aSecondRobotToken;
    String bRobotToken;
    String aRobotDeployment;
    String aIdempotencyKey;
    String aRobotDeploymentBody;
    byte[] aBytes;

    @BeforeParameterizedClassInvocation
    void start(TestDatabase database) throws Exception {
        server = TestServer.start(database);
        releaseKey = ReleaseKeys.generate();
        for (String org : List.of("org-a", "org-b")) {
            assertThat(server.post("/api/orgs", "{\"name\":\"" + org + "\"}").status()).isEqualTo(201);
        }
        tokenA = created(server.post("/api/operator-tokens", "{\"name\":\"a-ops\",\"org\":\"org-a\"}")).get("token")
                .asText();
        tokenB = created(server.post("/api/operator-tokens", "{\"name\":\"b-ops\",\"org\":\"org-b\"}")).get("token")
                .asText();

        aBytes = "org A's build".getBytes(StandardCharsets.UTF_8);
        String artifactA = created(server.upload("app_tarball", "lab-app", aBytes, tokenA)).get("id").asText();
        String releaseA = created(server.post("/api/releases", releaseBody(artifactA), tokenA)).get("id").asText();
        created(server.post("/api/releases/" + releaseA + "/signatures", signedBody(releaseA, tokenA), tokenA));
        JsonNode robotA = created(server.post("/api/robots", "{\"name\":\"alpha-arm\"}", tokenA));
        JsonNode robotA2 = created(server.post("/api/robots", "{\"name\":\"alpha-arm-2\"}", tokenA));
        aRobotToken = robotA.get("token").asText();
        aSecondRobotToken = robotA2.get("token").asText();
        String fleetA = created(server.post("/api/fleets", "{\"name\":\"a-fleet\",\"robot_ids\":[\""
                + robotA2.get("id").asText() + "\"]}", tokenA)).get("id").asText();
        aIdempotencyKey = UUID.randomUUID().toString();
        aRobotDeploymentBody = deploymentBody(releaseA, "robot", robotA.get("id").asText());
        aRobotDeployment = created(server.deploy(aIdempotencyKey, aRobotDeploymentBody, tokenA)).get("id").asText();
        JsonNode fleetDeployment = created(server.deploy(UUID.randomUUID().toString(),
                deploymentBody(releaseA, "fleet", fleetA), tokenA));
        aIds.put("artifacts", List.of(artifactA));
        aIds.put("releases", List.of(releaseA));
        aIds.put("robots", List.of(robotA.get("id").asText(), robotA2.get("id").asText()));
        aIds.put("fleets", List.of(fleetA));
        aIds.put("deployments", List.of(aRobotDeployment, fleetDeployment.get("id").asText(),
                fleetDeployment.get("children").get(0).get("id").asText()));

        // Org B has the same artifact name and semver: per-organisation uniqueness, no 409 that gives A away.
        String artifactB = created(server.upload("app_tarball", "lab-app", "org B's build".getBytes(
                StandardCharsets.UTF_8), tokenB)).get("id").asText();
        bIds.put("artifacts", artifactB);
        bIds.put("releases", created(server.post("/api/releases", releaseBody(artifactB), tokenB)).get("id").asText());
        JsonNode robotB = created(server.post("/api/robots", "{\"name\":\"bravo-arm\"}", tokenB));
        bRobotToken = robotB.get("token").asText();
        bIds.put("robots", robotB.get("id").asText());
        bIds.put("fleets", created(server.post("/api/fleets", "{\"name\":\"b-fleet\",\"robot_ids\":[\""
                + robotB.get("id").asText() + "\"]}", tokenB)).get("id").asText());
        bIds.put("deployments", created(server.deploy(UUID.randomUUID().toString(),
                deploymentBody(bIds.get("releases"), "robot", bIds.get("robots")), tokenB)).get("id").asText());
    }

    @AfterParameterizedClassInvocation
    void stop() {
        server.close();
    }

    @Test
    void everyOperatorRouteAnswersAnotherOrganisationsIdsExactlyLikeUnknownOnes() throws Exception {
        List<String> checked = new ArrayList<>();
        for (String route : operatorRoutes()) {
            String method = route.substring(0, route.indexOf(' '));
            String path = route.substring(route.indexOf(' ') + 1);
            if (ADMIN_ONLY.contains(route)) {
                TestServer.Reply r = send(method, fill(path, Map.of()), "{\"name\":\"x\",\"org\":\"org-b\"}", tokenB);
                assertThat(r.status()).as(route + ": " + r.body()).isEqualTo(403);
            } else if (route.equals(DOWNLOAD) || CHUNKS.contains(route)) { // the URL's signature is the key
                for (String id : aIds.get("artifacts")) {
                    assertThat(send(method, fill(path, Map.of("id", id)), "", tokenB).status()).as(route)
                            .isEqualTo(403);
                }
            } else if (PARAM.matcher(path).find()) {
                checkIdsLikeUnknown(route, method, path);
            } else if (method.equals("GET")) {
                TestServer.Reply r = server.get(path, tokenB);
                assertThat(r.status()).as(route + ": " + r.body()).isEqualTo(200);
                assertNoIdOfA(route, r.body());
            } else {
                checkCreate(route);
            }
            checked.add(route);
        }
        assertThat(checked).contains("GET /api/robots/{id}", "POST /api/deployments", "POST /api/artifacts");

        // What org A notices: nothing org B sent changed its rows.
        assertThat(server.get("/api/agent/deployments", aRobotToken).status()).isEqualTo(200); // not revoked
        assertThat(server.get("/api/robots/" + aIds.get("robots").get(0) + "/tokens", tokenA).json()).hasSize(1);
        assertThat(server.get("/api/deployments/" + aRobotDeployment, tokenA).json().get("status").asText())
                .isEqualTo("dispatched"); // not cancelled
        assertThat(server.get("/api/releases/" + aIds.get("releases").get(0) + "/signatures", tokenA).json())
                .hasSize(1);
        assertThat(server.get("/api/fleets/" + aIds.get("fleets").get(0), tokenA).json().get("robot_ids"))
                .hasSize(1);
        assertThat(server.get("/api/fleets/" + bIds.get("fleets"), tokenB).json().get("robot_ids")).hasSize(1);
        assertNoIdOfA("GET /api/deployments?robot_id=B", server.get("/api/deployments?robot_id="
                + bIds.get("robots"), tokenB).body());
    }

    /** Each path parameter in turn is one of org A's ids (the others org B's own): 404, word for word as unknown. */
    private void checkIdsLikeUnknown(String route, String method, String path) throws Exception {
        String body = writeBody(route);
        Matcher m = PARAM.matcher(path);
        List<String> params = new ArrayList<>();
        while (m.find()) {
            params.add(m.group(1));
        }
        for (String param : params) {
            for (String aId : aIds.get(kindOf(path, param))) {
                Map<String, String> values = new LinkedHashMap<>();
                params.forEach(p -> values.put(p, bIds.get(kindOf(path, p))));
                values.put(param, aId);
                TestServer.Reply theirs = send(method, fill(path, values), body, tokenB);
                String unknownId = UUID.randomUUID().toString();
                values.put(param, unknownId);
                TestServer.Reply unknown = send(method, fill(path, values), body, tokenB);
                assertThat(theirs.status()).as(route + " with org A's " + param + ": " + theirs.body()).isEqualTo(404);
                assertThat(theirs.json().get("detail").asText().replace(aId, "ID"))
                        .as(route + ": another organisation's id must read exactly like an unknown one")
                        .isEqualTo(unknown.json().get("detail").asText().replace(unknownId, "ID"));
            }
        }
    }

    /** Routes that create: org A's ids in the body are as unknown as made-up ones; A's rows are never reused. */
    private void checkCreate(String route) throws Exception {
        String releaseA = aIds.get("releases").get(0);
        switch (route) {
            case "POST /api/artifacts" -> {
                // Content-addressed, but per organisation: B gets its own new row for A's exact bytes.
                TestServer.Reply b = server.upload("app_tarball", "lab-app", aBytes, tokenB);
                assertThat(b.status()).as(b.body()).isEqualTo(201);
                assertThat(b.json().get("id").asText()).isNotEqualTo(aIds.get("artifacts").get(0));
                TestServer.Reply a = server.upload("app_tarball", "lab-app", aBytes, tokenA);
                assertThat(a.status()).isEqualTo(200);
                assertThat(a.json().get("id").asText()).isEqualTo(aIds.get("artifacts").get(0));
            }
            case "POST /api/releases" -> assertSameAsUnknown(route, aIds.get("artifacts").get(0),
                    id -> server.post("/api/releases", releaseBody(id).replace("1.0.0", "9.9.9"), tokenB), 422);
            case "POST /api/robots" -> {
                String id = created(server.post("/api/robots", "{\"name\":\"bravo-arm-new\"}", tokenB)).get("id")
                        .asText();
                assertThat(server.get("/api/robots", tokenA).body()).doesNotContain(id);
            }
            case "POST /api/fleets" -> assertSameAsUnknown(route, aIds.get("robots").get(0),
                    id -> server.post("/api/fleets", "{\"name\":\"f\",\"robot_ids\":[\"" + id + "\"]}", tokenB), 422);
            case "POST /api/deployments" -> {
                assertSameAsUnknown(route + " (release)", releaseA, id -> server.deploy(UUID.randomUUID().toString(),
                        deploymentBody(id, "robot", bIds.get("robots")), tokenB), 422);
                assertSameAsUnknown(route + " (robot)", aIds.get("robots").get(0), id -> server.deploy(
                        UUID.randomUUID().toString(), deploymentBody(bIds.get("releases"), "robot", id), tokenB), 422);
                assertSameAsUnknown(route + " (fleet)", aIds.get("fleets").get(0), id -> server.deploy(
                        UUID.randomUUID().toString(), deploymentBody(bIds.get("releases"), "fleet", id), tokenB), 422);
                // A's Idempotency-Key and body from org B: no replay of A's deployment, just B's own refusal.
                TestServer.Reply replay = server.deploy(aIdempotencyKey, aRobotDeploymentBody, tokenB);
                assertThat(replay.status()).as(replay.body()).isEqualTo(422);
                assertThat(replay.header("Idempotent-Replayed")).isNull();
                assertNoIdOfA(route, replay.body().replace(releaseA, "").replace(aIds.get("robots").get(0), ""));
            }
            default -> fail("route " + route + " is not covered: decide what a token of another organisation must "
                    + "get from it (never another organisation's rows) and add it to OrganisationIsolationTest");
        }
    }

    @Test
    void everyAgentRouteKeepsRobotsToTheirOwnDeploymentsAndOffTheOperatorApi() {
        for (String route : server.controlPlane.routes()) {
            String path = route.substring(route.indexOf(' ') + 1);
            if (!path.startsWith("/api/agent/")) {
                continue;
            }
            switch (route) {
                case "GET /api/agent/deployments" -> {
                    for (String token : List.of(aSecondRobotToken, bRobotToken)) { // same org, other org
                        assertThat(server.get(path, token).body()).doesNotContain(aRobotDeployment);
                    }
                    assertThat(server.get(path, aRobotToken).body()).contains(aRobotDeployment);
                }
                case "POST /api/agent/deployments/{id}/events" -> {
                    for (String token : List.of(aSecondRobotToken, bRobotToken)) {
                        String event = "{\"event_id\":\"" + UUID.randomUUID() + "\",\"status\":\"applied\"}";
                        TestServer.Reply theirs = server.post("/api/agent/deployments/" + aRobotDeployment
                                + "/events", event, token);
                        String unknownId = UUID.randomUUID().toString();
                        TestServer.Reply unknown = server.post("/api/agent/deployments/" + unknownId + "/events",
                                event, token);
                        assertThat(theirs.status()).isEqualTo(404);
                        assertThat(theirs.json().get("detail").asText().replace(aRobotDeployment, "ID"))
                                .isEqualTo(unknown.json().get("detail").asText().replace(unknownId, "ID"));
                    }
                    assertThat(server.get("/api/deployments/" + aRobotDeployment, tokenA).json().get("status")
                            .asText()).isEqualTo("dispatched");
                }
                default -> fail("agent route " + route + " is not covered: check that a robot cannot reach another "
                        + "robot's deployments through it and add it to OrganisationIsolationTest");
            }
        }
        for (String route : operatorRoutes()) { // a robot token opens no operator endpoint
            String method = route.substring(0, route.indexOf(' '));
            String path = fill(route.substring(route.indexOf(' ') + 1), Map.of());
            int expected = route.equals(DOWNLOAD) || CHUNKS.contains(route) ? 403 : 401;
            assertThat(send(method, path, "{}", aRobotToken).status()).as(route).isEqualTo(expected);
        }
    }

    @Test
    void theStatusPageShowsOnlyTheOrganisationOfItsTokenAndForgetsARevokedOne() throws Exception {
        String pageB = server.get("/ui", tokenB).body();
        assertThat(pageB).contains("bravo-arm").doesNotContain("alpha-arm").doesNotContain(aRobotDeployment);
        assertThat(server.get("/ui", tokenA).body()).contains("alpha-arm").doesNotContain("bravo-arm");
        assertThat(server.get("/ui").body()).doesNotContain("alpha-arm").doesNotContain("bravo-arm"); // admin: 'default'

        JsonNode readOnly = created(server.post("/api/operator-tokens",
                "{\"name\":\"b-wall-screen\",\"org\":\"org-b\",\"read_only\":true}"));
        java.net.http.HttpClient noRedirects = java.net.http.HttpClient.newHttpClient();
        java.net.http.HttpResponse<String> login = noRedirects.send(HttpRequest.newBuilder(
                        java.net.URI.create(server.baseUrl + "/ui/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=" + readOnly.get("token").asText())).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(login.statusCode()).isEqualTo(303);
        String cookie = login.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        HttpRequest page = HttpRequest.newBuilder(java.net.URI.create(server.baseUrl + "/ui")).header("Cookie", cookie)
                .build();
        java.net.http.HttpResponse<String> seen = noRedirects.send(page,
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(seen.statusCode()).isEqualTo(200);
        assertThat(seen.body()).contains("bravo-arm").doesNotContain("alpha-arm");

        // org B's read-write session acting on org A's rows from the page: exactly what unknown ids get
        String sessionB = uiSession(tokenB);
        String csrfB = csrfOf(server.send(server.request("/ui", null).header("Cookie", sessionB).GET().build()).body());
        String robotA = aIds.get("robots").get(0);
        String unknown = UUID.randomUUID().toString();
        TestServer.Reply theirs = uiPost("/ui/deploy", "csrf=" + csrfB + "&idempotency_key=" + UUID.randomUUID()
                + "&release_id=" + bIds.get("releases") + "&target=robot:" + robotA, sessionB);
        TestServer.Reply unknownRobot = uiPost("/ui/deploy", "csrf=" + csrfB + "&idempotency_key=" + UUID.randomUUID()
                + "&release_id=" + bIds.get("releases") + "&target=robot:" + unknown, sessionB);
        assertThat(theirs.status()).isEqualTo(422);
        assertThat(errorOf(theirs.body()).replace(robotA, "ID")).isEqualTo(errorOf(unknownRobot.body())
                .replace(unknown, "ID"));
        assertThat(theirs.body()).doesNotContain("alpha-arm");
        for (String id : aIds.get("deployments")) {
            assertThat(uiPost("/ui/deployments/" + id + "/cancel", "csrf=" + csrfB, sessionB).status()).isEqualTo(404);
            assertThat(server.send(server.request("/ui/deployments/" + id, null).header("Cookie", sessionB).GET()
                    .build()).status()).isEqualTo(404);
        }
        assertThat(server.get("/api/deployments/" + aRobotDeployment, tokenA).json().get("status").asText())
                .isEqualTo("dispatched");

        assertThat(server.post("/api/operator-tokens/" + readOnly.get("token_id").asText() + "/revoke", "{}")
                .status()).isEqualTo(200);
        assertThat(noRedirects.send(page, java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode())
                .isEqualTo(303); // back to the login form
    }

    @Test
    void theAdminListsTokensWithoutSecretsAndARevokedTokenIsRefusedAtOnce() {
        JsonNode made = created(server.post("/api/operator-tokens", "{\"name\":\"b-ci\",\"org\":\"org-b\"}"));
        String token = made.get("token").asText();
        assertThat(made.get("org").asText()).isEqualTo("org-b");
        assertThat(server.get("/api/robots", token).status()).isEqualTo(200);

        TestServer.Reply list = server.get("/api/operator-tokens");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.body()).doesNotContain(token).doesNotContain(tokenA).doesNotContain(tokenB);
        JsonNode entry = null;
        for (JsonNode t : list.json()) {
            assertThat(t.has("token")).isFalse();
            if (t.get("token_id").asText().equals(made.get("token_id").asText())) {
                entry = t;
            }
        }
        assertThat(entry).isNotNull();
        assertThat(entry.get("name").asText()).isEqualTo("b-ci");
        assertThat(entry.get("revoked_at").isNull()).isTrue();

        TestServer.Reply revoked = server.post("/api/operator-tokens/" + made.get("token_id").asText() + "/revoke",
                "{}");
        assertThat(revoked.status()).isEqualTo(200);
        assertThat(revoked.json().get("revoked_at").isNull()).isFalse();
        TestServer.Reply refused = server.get("/api/robots", token);
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.json().get("detail").asText()).contains("revoked");
        assertThat(server.get("/api/robots", tokenB).status()).isEqualTo(200); // the others still work

        assertThat(server.post("/api/operator-tokens", "{\"name\":\"x\",\"org\":\"no-such-org\"}").status())
                .isEqualTo(422);
        assertThat(server.post("/api/orgs", "{\"name\":\"org-a\"}").status()).isEqualTo(409);
        assertThat(server.post("/api/orgs", "{\"name\":\"Not A Slug\"}").status()).isEqualTo(400);
        assertThat(server.post("/api/operator-tokens/0123456789abcdef/revoke", "{}").status()).isEqualTo(404);
    }

    // ---- helpers ----

    private String uiSession(String token) {
        TestServer.Reply r = server.send(HttpRequest.newBuilder(java.net.URI.create(server.baseUrl + "/ui/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=" + token)).build());
        assertThat(r.status()).isEqualTo(303);
        return r.header("Set-Cookie").split(";")[0];
    }

    private TestServer.Reply uiPost(String path, String form, String cookie) {
        return server.send(server.request(path, null).header("Cookie", cookie)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build());
    }

    private static String csrfOf(String html) {
        Matcher m = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(html);
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    private static String errorOf(String html) {
        Matcher m = Pattern.compile("id=\"error\">([^<]*)<").matcher(html);
        assertThat(m.find()).as(html).isTrue();
        return m.group(1);
    }

    private List<String> operatorRoutes() {
        return server.controlPlane.routes().stream()
                .filter(r -> !r.startsWith("BEFORE") && !r.startsWith("AFTER"))
                .filter(r -> {
                    String path = r.substring(r.indexOf(' ') + 1);
                    return path.startsWith("/api/") && !path.startsWith("/api/agent/");
                }).toList();
    }

    /** Which of org A's id lists a path parameter takes: {robot_id} a robot, {id} the kind the path names. */
    private static String kindOf(String path, String param) {
        if (param.equals("robot_id")) {
            return "robots";
        }
        return path.split("/")[2];
    }

    private String writeBody(String route) throws Exception {
        if (route.startsWith("GET ")) {
            return null;
        }
        return switch (route) {
            case "POST /api/releases/{id}/signatures" -> signedBody(aIds.get("releases").get(0), tokenA);
            case "POST /api/robots/{id}/tokens", "POST /api/robots/{id}/revoke", "POST /api/deployments/{id}/cancel",
                 "PUT /api/fleets/{id}/robots/{robot_id}" -> "{}";
            default -> throw new AssertionError("write route " + route + " has no request body in "
                    + "OrganisationIsolationTest.writeBody: add a body that would succeed with org A's own token, so "
                    + "the test shows org B's token gets 404 instead");
        };
    }

    private void assertSameAsUnknown(String what, String aId, java.util.function.Function<String, TestServer.Reply> call,
                                     int status) {
        TestServer.Reply theirs = call.apply(aId);
        String unknownId = UUID.randomUUID().toString();
        TestServer.Reply unknown = call.apply(unknownId);
        assertThat(theirs.status()).as(what + ": " + theirs.body()).isEqualTo(status);
        assertThat(theirs.json().get("detail").asText().replace(aId, "ID")).as(what)
                .isEqualTo(unknown.json().get("detail").asText().replace(unknownId, "ID"));
    }

    private void assertNoIdOfA(String what, String body) {
        aIds.values().forEach(ids -> ids.forEach(id -> assertThat(body).as(what + " shows org A's " + id)
                .doesNotContain(id)));
    }

    private static String fill(String path, Map<String, String> values) {
        Matcher m = PARAM.matcher(path);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, values.getOrDefault(m.group(1), UUID.randomUUID().toString()));
        }
        return m.appendTail(out).toString();
    }

    private TestServer.Reply send(String method, String path, String body, String token) {
        HttpRequest.Builder b = server.request(path, token).header("Content-Type", "application/json")
                .header("Idempotency-Key", UUID.randomUUID().toString());
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body);
        return server.send(b.method(method, method.equals("GET") ? HttpRequest.BodyPublishers.noBody() : publisher)
                .build());
    }

    private static JsonNode created(TestServer.Reply r) {
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json();
    }

    private static String releaseBody(String artifactId) {
        return "{\"artifact_id\":\"" + artifactId + "\",\"semver\":\"1.0.0\",\"notes\":\"n\","
                + "\"manifest_json\":{\"entrypoint\":[\"bin/app\"]}}";
    }

    private static String deploymentBody(String releaseId, String kind, String targetId) {
        return "{\"release_id\":\"" + releaseId + "\",\"target_kind\":\"" + kind + "\",\"target_id\":\"" + targetId
                + "\"}";
    }

    /** A statement of org A's release signed by a real key: what org A itself could store. */
    private String signedBody(String releaseId, String token) throws IOException {
        JsonNode release = server.get("/api/releases/" + releaseId, token).json();
        JsonNode artifact = server.get("/api/artifacts/" + release.get("artifact_id").asText(), token).json();
        ReleaseStatement s = new ReleaseStatement(ReleaseStatement.TYPE, releaseId, release.get("semver").asText(),
                ArtifactKind.APP_TARBALL, artifact.get("sha256").asText(), artifact.get("size").asLong(),
                ReleaseStatement.manifestSha256(release.get("manifest_json")), Instant.now(),
                Instant.now().plusSeconds(3600), null);
        byte[] bytes = WireJson.lenient().writeValueAsBytes(s);
        return "{\"statement\":\"" + Base64.getEncoder().encodeToString(bytes) + "\",\"signature\":\""
                + Base64.getEncoder().encodeToString(ReleaseKeys.sign(releaseKey.getPrivate(), bytes))
                + "\",\"key_id\":\"" + ReleaseKeys.keyId(releaseKey.getPublic()) + "\"}";
    }
}
