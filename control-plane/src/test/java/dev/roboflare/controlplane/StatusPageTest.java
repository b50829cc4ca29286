package dev.roboflare.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The status page at fleet scale and as a place to act: pages of robots with those needing attention first,
 * search, deploy / roll back / cancel through forms with a CSRF token and an Idempotency-Key, read-only tokens
 * kept to looking, and the agents' live progress. Over HTTP against a real control plane, on SQLite and PostgreSQL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // one fleet for all: looking first, then acting on it
@ParameterizedClass
@EnumSource(TestDatabase.class)
class StatusPageTest {
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
    private static final Pattern ROBOT_ROW = Pattern.compile("<tr class=\"robot[^\"]*\" data-robot=\"([^\"]+)\"");

    @Parameter
    TestDatabase database;

    TestServer server;
    String release1;
    String release2;
    String fleetId;
    final Map<String, String> tokens = new LinkedHashMap<>();
    final Map<String, String> ids = new LinkedHashMap<>();

    @BeforeParameterizedClassInvocation
    void start(TestDatabase database) throws Exception {
        server = TestServer.start(database);
        release1 = server.releaseId(server.artifactId("lab-app", "one"), "1.0.0");
        release2 = server.releaseId(server.artifactId("lab-app", "two"), "2.0.0");
        // 55 robots that polled and run 1.0.0 (fine), and the ones the page must put first
        for (int i = 0; i < 55; i++) {
            enroll(String.format("arm-%02d", i));
        }
        for (String name : List.of("zz-rolled-back", "zz-never-seen", "zz-missing-events", "zz-applying")) {
            enroll(name);
        }
        List<String> fleetRobots = new ArrayList<>();
        ids.forEach((name, id) -> {
            if (!name.equals("zz-never-seen")) {
                fleetRobots.add(id);
            }
        });
        fleetId = created(server.post("/api/fleets", "{\"name\":\"bay-1\",\"robot_ids\":["
                + fleetRobots.stream().map(id -> "\"" + id + "\"").collect(Collectors.joining(",")) + "]}"))
                .get("id").asText();
        JsonNode fleetDeployment = created(server.deploy(UUID.randomUUID().toString(),
                "{\"release_id\":\"" + release1 + "\",\"target_kind\":\"fleet\",\"target_id\":\"" + fleetId + "\"}"));
        for (JsonNode child : fleetDeployment.get("children")) {
            String robot = child.get("robot_id").asText();
            String name = nameOf(robot);
            if (!name.equals("zz-applying")) {
                report(name, child.get("id").asText(), name.equals("zz-rolled-back") ? "rolled_back" : "applied",
                        name.equals("zz-missing-events") ? 3 : null);
            }
        }
        for (String name : tokens.keySet()) {
            if (!name.equals("zz-never-seen")) {
                assertThat(server.get("/api/agent/deployments", tokens.get(name)).status()).isEqualTo(200);
            }
        }
    }

    @AfterParameterizedClassInvocation
    void stop() {
        server.close();
    }

    @Test
    @Order(1)
    void robotsNeedingAttentionComeFirstFiftyAPageAndTheSearchNarrowsThem() {
        String first = server.get("/ui").body();
        assertThat(robotNames(first)).hasSize(50).startsWith("zz-rolled-back", "zz-never-seen", "zz-missing-events",
                "zz-applying", "arm-00", "arm-01");
        assertThat(first).contains("robots 1–50 of 59", "page 1 of 2", "rel=\"next\" href=\"/ui?page=2\"")
                .contains("2 events not received (up to #3)");
        String second = server.get("/ui?page=2").body();
        assertThat(robotNames(second)).containsExactly("arm-46", "arm-47", "arm-48", "arm-49", "arm-50", "arm-51",
                "arm-52", "arm-53", "arm-54");

        assertThat(robotNames(server.get("/ui?q=ARM-1").body())).containsExactly("arm-10", "arm-11", "arm-12",
                "arm-13", "arm-14", "arm-15", "arm-16", "arm-17", "arm-18", "arm-19");
        assertThat(robotNames(server.get("/ui?q=%25").body())).isEmpty(); // LIKE wildcards are plain characters
        assertThat(robotNames(server.get("/ui?status=attention").body()))
                .containsExactly("zz-rolled-back", "zz-never-seen", "zz-missing-events");
        assertThat(robotNames(server.get("/ui?status=failed").body())).containsExactly("zz-rolled-back");
        assertThat(robotNames(server.get("/ui?status=in_progress").body())).containsExactly("zz-applying");
        assertThat(robotNames(server.get("/ui?status=none").body())).containsExactly("zz-never-seen");
        assertThat(robotNames(server.get("/ui?fleet=" + fleetId + "&q=zz").body()))
                .containsExactly("zz-rolled-back", "zz-missing-events", "zz-applying");
        assertThat(robotNames(server.get("/ui?release=" + release1 + "&q=zz").body()))
                .containsExactly("zz-rolled-back", "zz-missing-events", "zz-applying");
        assertThat(server.get("/ui?release=" + release2).body()).contains("No robot matches.");
        assertThat(server.get("/ui?page=banana&status=bogus").status()).isEqualTo(200); // read as the first page
    }

    @Test
    @Order(4)
    void aReadWriteSessionDeploysOnceCancelsAndRollsBackThroughFormsWithItsCsrfToken() throws Exception {
        String cookie = logIn(server.operatorToken);
        String page = page(cookie);
        String csrf = csrf(page);
        String robot = ids.get("arm-07");
        assertThat(page).contains("href=\"/ui/deploy?target_kind=robot&amp;target_id=" + robot + "\"");

        Map<String, String> form = new LinkedHashMap<>(Map.of("release_id", release2, "target",
                "robot:" + robot, "idempotency_key", UUID.randomUUID().toString()));
        TestServer.Reply noCsrf = postForm("/ui/deploy", form, cookie);
        assertThat(noCsrf.status()).isEqualTo(403);
        assertThat(noCsrf.body()).contains("CSRF token", "nothing was changed");
        form.put("csrf", "not-" + csrf);
        assertThat(postForm("/ui/deploy", form, cookie).status()).isEqualTo(403);
        assertThat(deploymentsOf(robot)).hasSize(1); // only the fleet child from the set-up

        form.put("csrf", csrf);
        TestServer.Reply made = postForm("/ui/deploy", form, cookie);
        assertThat(made.status()).isEqualTo(303);
        String location = made.header("Location");
        assertThat(location).startsWith("/ui/deployments/").endsWith("?created=1");
        String deploymentId = location.substring("/ui/deployments/".length(), location.indexOf('?'));
        TestServer.Reply again = postForm("/ui/deploy", form, cookie); // the same form sent twice
        assertThat(again.header("Location")).isEqualTo("/ui/deployments/" + deploymentId + "?replayed=1");
        assertThat(deploymentsOf(robot)).hasSize(2);
        JsonNode d = server.get("/api/deployments/" + deploymentId).json();
        assertThat(d.get("release_id").asText()).isEqualTo(release2);
        assertThat(d.get("status").asText()).isEqualTo("dispatched");
        // the same key with another body: 422, as the API answers it, and nothing new
        form.put("release_id", release1);
        TestServer.Reply reused = postForm("/ui/deploy", form, cookie);
        assertThat(reused.status()).isEqualTo(422);
        assertThat(reused.body()).contains("already used with a different body");

        String detail = server.send(server.request("/ui/deployments/" + deploymentId, null)
                .header("Cookie", cookie).GET().build()).body();
        assertThat(detail).contains("data-active=\"true\"", "http-equiv=\"refresh\" content=\"3\"",
                "action=\"/ui/deployments/" + deploymentId + "/cancel\"");
        assertThat(postForm("/ui/deployments/" + deploymentId + "/cancel", Map.of(), cookie).status())
                .isEqualTo(403);
        TestServer.Reply cancelled = postForm("/ui/deployments/" + deploymentId + "/cancel", Map.of("csrf", csrf),
                cookie);
        assertThat(cancelled.status()).isEqualTo(303);
        assertThat(server.get("/api/deployments/" + deploymentId).json().get("status").asText()).isEqualTo("failed");
        assertThat(server.send(server.request(cancelled.header("Location"), null).header("Cookie", cookie)
                .GET().build()).body()).contains("data-active=\"false\"", "Cancelled:").doesNotContain("refresh");

        // a robot that ran 1.0.0 and then 2.0.0 gets "Roll back to 1.0.0", which deploys 1.0.0 again
        String arm8 = ids.get("arm-08");
        String upgrade = created(server.deploy(UUID.randomUUID().toString(), "{\"release_id\":\"" + release2
                + "\",\"target_kind\":\"robot\",\"target_id\":\"" + arm8 + "\"}")).get("id").asText();
        report("arm-08", upgrade, "applied", null);
        String row = robotRow(page(cookie), "arm-08");
        assertThat(row).contains("Roll back to 1.0.0");
        Map<String, String> rollback = hiddenFields(row.substring(row.indexOf("class=\"inline rollback\"")));
        assertThat(rollback).containsEntry("release_id", release1).containsEntry("target_id", arm8);
        TestServer.Reply rolledBack = postForm("/ui/deploy", rollback, cookie);
        assertThat(rolledBack.status()).isEqualTo(303);
        String rollbackId = rolledBack.header("Location").replaceAll("^/ui/deployments/|\\?.*$", "");
        assertThat(server.get("/api/deployments/" + rollbackId).json().get("release_id").asText()).isEqualTo(release1);

        // logging out needs the token too
        assertThat(postForm("/ui/logout", Map.of(), cookie).status()).isEqualTo(403);
        assertThat(postForm("/ui/logout", Map.of("csrf", csrf), cookie).status()).isEqualTo(303);
        assertThat(server.send(server.request("/ui", null).header("Cookie", cookie).GET().build()).status())
                .isEqualTo(303);
    }

    @Test
    @Order(5)
    void aScheduledFleetDeploymentInWavesIsCreatedFromTheFormAndCancelledBeforeItStarts() {
        String cookie = logIn(server.operatorToken);
        String csrf = csrf(page(cookie));
        String form = server.send(server.request("/ui/deploy?target_kind=fleet&target_id=" + fleetId, null)
                .header("Cookie", cookie).GET().build()).body();
        assertThat(form).contains("<option value=\"fleet:" + fleetId + "\" selected>bay-1 (58 robots)</option>")
                .doesNotContain("http-equiv=\"refresh\"");
        String at = java.time.LocalDateTime.now(java.time.ZoneOffset.UTC).plusHours(2).withNano(0).toString();
        TestServer.Reply made = postForm("/ui/deploy", Map.of("csrf", csrf, "idempotency_key",
                UUID.randomUUID().toString(), "release_id", release2, "target", "fleet:" + fleetId, "scheduled_at", at,
                "batch_size", "10", "max_failure_ratio", "0.1"), cookie);
        assertThat(made.status()).as(made.body()).isEqualTo(303);
        String id = made.header("Location").replaceAll("^/ui/deployments/|\\?.*$", "");
        JsonNode d = server.get("/api/deployments/" + id).json();
        assertThat(d.get("status").asText()).isEqualTo("queued");
        assertThat(d.get("scheduled_at").asText()).startsWith(at);
        assertThat(d.get("summary").get("queued").asInt()).isEqualTo(58);
        assertThat(page(cookie)).contains("scheduled for");

        assertThat(postForm("/ui/deployments/" + id + "/cancel", Map.of("csrf", csrf), cookie).status())
                .isEqualTo(303);
        d = server.get("/api/deployments/" + id).json();
        assertThat(d.get("status").asText()).isEqualTo("failed");
        assertThat(d.get("summary").get("queued").asInt()).isZero();

        TestServer.Reply bad = postForm("/ui/deploy", Map.of("csrf", csrf, "idempotency_key",
                UUID.randomUUID().toString(), "release_id", release2, "target", "fleet:" + fleetId,
                "scheduled_at", "next tuesday", "force", "on"), cookie);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).contains("is not a date and time", "value=\"next tuesday\"")
                .contains("name=\"force\" id=\"force\" checked>"); // kept, like the rest of the form
    }

    @Test
    @Order(5)
    void theDeployFormHasAForceCheckboxThatSkipsTheRobotsUpdateGate() {
        String cookie = logIn(server.operatorToken);
        String csrf = csrf(page(cookie));
        String robot = ids.get("arm-09");
        String form = server.send(server.request("/ui/deploy?target_kind=robot&target_id=" + robot, null)
                .header("Cookie", cookie).GET().build()).body();
        assertThat(form).contains("<input type=\"checkbox\" name=\"force\" id=\"force\">",
                "<b>force</b> (skip the robot's update gate)");

        String plain = deployedFromForm(cookie, Map.of("csrf", csrf, "idempotency_key", UUID.randomUUID().toString(),
                "release_id", release2, "target", "robot:" + robot));
        assertThat(server.get("/api/deployments/" + plain + "/events").json().get(0).get("detail").asText())
                .doesNotContain("forced");
        String forced = deployedFromForm(cookie, Map.of("csrf", csrf, "idempotency_key", UUID.randomUUID().toString(),
                "release_id", release2, "target", "robot:" + robot, "force", "on"));
        assertThat(server.get("/api/deployments/" + forced + "/events").json().get(0).get("detail").asText())
                .isEqualTo("created; forced: the robot does not wait at its update gate");
        JsonNode work = poll("arm-09", null).json().get("deployments");
        assertThat(work).hasSize(1); // the forced one superseded the plain one
        assertThat(work.get(0).get("id").asText()).isEqualTo(forced);
        assertThat(work.get(0).get("force").asBoolean()).as("the robot is told to skip its gate").isTrue();
        assertThat(postForm("/ui/deployments/" + forced + "/cancel", Map.of("csrf", csrf), cookie).status())
                .isEqualTo(303);
    }

    private String deployedFromForm(String cookie, Map<String, String> form) {
        TestServer.Reply made = postForm("/ui/deploy", form, cookie);
        assertThat(made.status()).as(made.body()).isEqualTo(303);
        return made.header("Location").replaceAll("^/ui/deployments/|\\?.*$", "");
    }

    @Test
    @Order(3)
    void aReadOnlyTokenSeesNoControlsAndIsRefusedEveryAction() {
        JsonNode readOnly = created(server.post("/api/operator-tokens",
                "{\"name\":\"wall-screen\",\"read_only\":true}"));
        String cookie = logIn(readOnly.get("token").asText());
        String page = page(cookie);
        assertThat(page).contains("zz-rolled-back", "read-only").doesNotContain("Deploy…", "Roll back to",
                ">Cancel<", "name=\"idempotency_key\"");
        String csrf = csrf(page); // only in the logout form
        int before = deploymentsOf(ids.get("arm-20")).size();
        TestServer.Reply refused = postForm("/ui/deploy", Map.of("csrf", csrf, "idempotency_key",
                UUID.randomUUID().toString(), "release_id", release2, "target", "robot:" + ids.get("arm-20")), cookie);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.body()).contains("read-only");
        assertThat(deploymentsOf(ids.get("arm-20"))).hasSize(before);
        assertThat(server.send(server.request("/ui/deploy", null).header("Cookie", cookie).GET().build()).status())
                .isEqualTo(403);
        String someDeployment = server.get("/api/deployments?limit=1").json().get(0).get("id").asText();
        assertThat(postForm("/ui/deployments/" + someDeployment + "/cancel", Map.of("csrf", csrf), cookie).status())
                .isEqualTo(403);
    }

    @Test
    @Order(2)
    void anAgentsLiveProgressIsPresenceOnTheRobotThePageAndTheFleetDeployment() {
        String robot = ids.get("zz-applying");
        String child = deploymentsOf(robot).get(0).get("id").asText();
        assertThat(poll("zz-applying", child + " downloading 1048576/4194304").status()).isEqualTo(200);
        JsonNode r = server.get("/api/robots/" + robot).json();
        assertThat(r.get("progress").get("phase").asText()).isEqualTo("downloading");
        assertThat(r.get("progress").get("done").asLong()).isEqualTo(1048576);
        assertThat(robotRow(server.get("/ui").body(), "zz-applying")).contains("downloading 25%", "<meter");
        assertThat(poll("zz-applying", child + " watching 12/30").status()).isEqualTo(200);
        assertThat(robotRow(server.get("/ui").body(), "zz-applying")).contains("watching 12/30 s");
        String parent = server.get("/api/deployments/" + child).json().get("parent_id").asText();
        JsonNode children = server.get("/api/deployments/" + parent).json().get("children");
        for (JsonNode c : children) {
            assertThat(c.get("progress").isNull()).as(c.toString()).isEqualTo(!c.get("id").asText().equals(child));
        }
        assertThat(server.get("/ui/deployments/" + parent).body()).contains("watching 12/30 s");
        // it is presence: no event, no status change
        assertThat(server.get("/api/deployments/" + child + "/events").json()).hasSize(2);
        // unreadable values are ignored; a poll without the header keeps it
        assertThat(poll("zz-applying", "<script> 1/2").status()).isEqualTo(200);
        assertThat(poll("zz-applying", null).status()).isEqualTo(200);
        assertThat(server.get("/api/robots/" + robot).json().get("progress").get("phase").asText())
                .isEqualTo("watching");
        // progress about another deployment than the robot's newest dispatched one is not shown
        assertThat(poll("zz-applying", UUID.randomUUID() + " installing").status()).isEqualTo(200);
        assertThat(server.get("/api/robots/" + robot).json().get("progress").isNull()).isTrue();
        assertThat(robotRow(server.get("/ui").body(), "zz-applying")).doesNotContain("installing");
    }

    @Test
    @Order(6)
    void thousandsOfRobotsArePagedNotListed() throws Exception {
        try (Connection c = server.jdbc(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO robots (id, name, created_at, last_seen_at, org) VALUES (?, ?, 0, NULL, 'default')")) {
            for (int i = 0; i < 3000; i++) {
                ps.setString(1, UUID.randomUUID().toString());
                ps.setString(2, String.format("bulk-%04d", i));
                ps.addBatch();
            }
            ps.executeBatch();
        }
        String page = server.get("/ui?q=bulk&page=60").body();
        assertThat(robotNames(page)).hasSize(50).startsWith("bulk-2950").endsWith("bulk-2999");
        assertThat(page).contains("robots 2951–3000 of 3000", "page 60 of 60");
        assertThat(server.get("/ui").body()).contains("robots 1–50 of 3059");
    }

    // ---- helpers ----

    private void enroll(String name) {
        JsonNode c = server.robot(name);
        tokens.put(name, c.get("token").asText());
        ids.put(name, c.get("id").asText());
    }

    private String nameOf(String robotId) {
        return ids.entrySet().stream().filter(e -> e.getValue().equals(robotId)).findFirst().orElseThrow().getKey();
    }

    private void report(String robot, String deploymentId, String status, Integer seq) {
        TestServer.Reply r = server.post("/api/agent/deployments/" + deploymentId + "/events", "{\"event_id\":\""
                + UUID.randomUUID() + "\",\"status\":\"" + status + "\",\"detail\":\"" + status + " by test\""
                + (seq == null ? "" : ",\"seq\":" + seq) + "}", tokens.get(robot));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
    }

    private TestServer.Reply poll(String robot, String progress) {
        HttpRequest.Builder b = server.request("/api/agent/deployments", tokens.get(robot));
        if (progress != null) {
            b.header("Roboflare-Agent-Progress", progress);
        }
        return server.send(b.GET().build());
    }

    private List<JsonNode> deploymentsOf(String robotId) {
        List<JsonNode> out = new ArrayList<>();
        server.get("/api/deployments?robot_id=" + robotId).json().forEach(out::add);
        return out;
    }

    private String logIn(String token) {
        TestServer.Reply r = server.send(HttpRequest.newBuilder(URI.create(server.baseUrl + "/ui/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=" + token)).build());
        assertThat(r.status()).isEqualTo(303);
        return r.header("Set-Cookie").split(";")[0];
    }

    private String page(String cookie) {
        TestServer.Reply r = server.send(server.request("/ui", null).header("Cookie", cookie).GET().build());
        assertThat(r.status()).isEqualTo(200);
        return r.body();
    }

    private TestServer.Reply postForm(String path, Map<String, String> fields, String cookie) {
        String body = fields.entrySet().stream().map(e -> e.getKey() + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        return server.send(server.request(path, null).header("Cookie", cookie)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static String csrf(String html) {
        Matcher m = CSRF.matcher(html);
        assertThat(m.find()).as("a CSRF field in the page").isTrue();
        return m.group(1);
    }

    private static Map<String, String> hiddenFields(String html) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = Pattern.compile("<input type=\"hidden\" name=\"([a-z_]+)\" value=\"([^\"]*)\">").matcher(
                html.substring(0, html.indexOf("</form>")));
        while (m.find()) {
            out.put(m.group(1), m.group(2));
        }
        return out;
    }

    private static List<String> robotNames(String html) {
        List<String> out = new ArrayList<>();
        Matcher m = ROBOT_ROW.matcher(html);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private static String robotRow(String html, String robot) {
        Matcher m = Pattern.compile("<tr class=\"robot[^\"]*\" data-robot=\"" + Pattern.quote(robot) + "\">.*?</tr>",
                Pattern.DOTALL).matcher(html);
        assertThat(m.find()).as("a row for " + robot).isTrue();
        return m.group();
    }

    private static JsonNode created(TestServer.Reply r) {
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json();
    }
}
