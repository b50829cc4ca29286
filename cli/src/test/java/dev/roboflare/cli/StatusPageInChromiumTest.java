package dev.roboflare.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roboflare.protocol.DeploymentStatus;
import dev.roboflare.testkit.ControlPlaneProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control plane's /ui page in Debian's headless Chromium, against the shipped control-plane jar with real
 * deployments made by this CLI (applied, rolled_back, one robot that never polled). Logging in goes through
 * /ui/login?token=..., which sets the session cookie and redirects, as a browser bookmark would. The screenshot
 * is kept at target/ui-status.png (docs/ui-status.png is a copy of it).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // looking first; acting last, as it changes what is shown
class StatusPageInChromiumTest {
    private static final String CHROMIUM = "/usr/bin/chromium";
    private static final String ROLLED_BACK_DETAIL = "app exited with code 3 within the 30 s watch window; rolled "
            + "back to release 1.0.0, running as pid 28551\nlast output:\nlab app 1.1.0 starting\n"
            + "fatal: gantry calibration file missing";

    @TempDir
    static Path work;
    static ControlPlaneProcess cp;
    static CliRun cli;
    static RobotSide flex1;

    @BeforeAll
    static void controlPlaneWithRealDeployments() throws Exception {
        cp = ControlPlaneProcess.start(work);
        cli = new CliRun(Map.of("ROBOFLARE_URL", cp.baseUrl(), "ROBOFLARE_TOKEN", cp.operatorToken()),
                Files.createDirectories(work.resolve("home")));
        for (String semver : new String[] {"1.0.0", "1.1.0"}) {
            Path file = Files.writeString(work.resolve("lab-app-" + semver + ".tar.gz"), "build " + semver);
            String artifact = cli.run("artifact", "push", file.toString(), "--kind", "app_tarball", "--name",
                    "lab-app", "--json").ok().json().path("id").asText();
            cli.run("release", "create", "--artifact", artifact, "--semver", semver, "--manifest",
                    "{\"entrypoint\": [\"bin/app\"]}").ok();
        }
        flex1 = new RobotSide(cp.baseUrl(), token(cli, "flex-1"));
        RobotSide flex2 = new RobotSide(cp.baseUrl(), token(cli, "flex-2"));
        token(cli, "ot2-3"); // enrolled, never polls: highlighted as not seen
        cli.run("fleet", "create", "bay-2", "flex-1", "flex-2").ok();
        cli.run("deploy", "1.0.0", "--fleet", "bay-2").ok();
        flex1.reportOnly(DeploymentStatus.APPLIED, "applied release 1.0.0, running as pid 28547");
        flex2.reportOnly(DeploymentStatus.APPLIED, "applied release 1.0.0, running as pid 28548");
        cli.run("deploy", "1.1.0", "--fleet", "bay-2").ok();
        flex1.reportOnly(DeploymentStatus.APPLIED, "applied release 1.1.0, running as pid 28550");
        flex2.reportOnly(DeploymentStatus.ROLLED_BACK, ROLLED_BACK_DETAIL);
        cli.run("deploy", "1.0.0", "--robot", "ot2-3").ok();
    }

    @AfterAll
    static void stop() throws Exception {
        if (cp != null) {
            cp.close();
        }
    }

    @Test
    @Order(1)
    void theRenderedPageShowsFleetProgressRobotHistoryWithTheRollbackAndTheRobotNotSeen() throws Exception {
        String dom = chromium("--dump-dom", loginUrl());

        assertThat(dom).contains("Roboflare fleet status", "data-fleet=\"bay-2\"", "2 robots: flex-1, flex-2");
        assertThat(fleetCard(dom)).contains("data-status=\"applied\" data-count=\"1\"",
                "data-status=\"rolled_back\" data-count=\"1\"", "data-status=\"applied\" data-count=\"2\"");
        assertThat(robotRow(dom, "flex-2")).contains("rolled back", "rolled back to release 1.0.0",
                "fatal: gantry calibration file missing", "<b>1.0.0</b>").doesNotContain("robot stale");
        assertThat(robotRow(dom, "flex-1")).contains("<b>1.1.0</b>").doesNotContain("robot stale");
        assertThat(robotRow(dom, "ot2-3")).contains("robot stale", "never seen", "dispatched");
    }

    @Test
    @Order(2)
    void withoutTheTokenTheBrowserGetsTheLoginFormAndNoData() throws Exception {
        String dom = chromium("--dump-dom", cp.baseUrl() + "/ui");
        assertThat(dom).contains("Operator token", "name=\"token\"").doesNotContain("flex-1", "bay-2");

        String wrong = chromium("--dump-dom", cp.baseUrl() + "/ui/login?token=wrong");
        assertThat(wrong).contains("That is not a valid operator token").doesNotContain("flex-1");
    }

    @Test
    @Order(3)
    void theSessionCookieIsHttpOnlyOpensOnlyTheUiAndEndsAtLogout() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        var login = http.send(HttpRequest.newBuilder(URI.create(cp.baseUrl() + "/ui/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=" + cp.operatorToken())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(login.statusCode()).isEqualTo(303);
        String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).contains("HttpOnly", "SameSite=Strict", "Path=/ui").doesNotContain(cp.operatorToken());
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));

        assertThat(get(http, "/ui", "Cookie", cookie).body()).contains("data-fleet=\"bay-2\"");
        assertThat(get(http, "/ui", "Authorization", "Bearer " + cp.operatorToken()).statusCode()).isEqualTo(200);
        assertThat(get(http, "/api/robots", "Cookie", cookie).statusCode()).isEqualTo(401);
        assertThat(get(http, "/ui", "Cookie", "roboflare_ui=guessed").statusCode()).isEqualTo(303);
        assertThat(logOut(http, cookie, "").statusCode()).isEqualTo(403); // a form from elsewhere: no CSRF token
        assertThat(get(http, "/ui", "Cookie", cookie).statusCode()).isEqualTo(200);
        Matcher csrf = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(get(http, "/ui", "Cookie", cookie)
                .body());
        assertThat(csrf.find()).isTrue();
        assertThat(logOut(http, cookie, "csrf=" + csrf.group(1)).statusCode()).isEqualTo(303);
        assertThat(get(http, "/ui", "Cookie", cookie).statusCode()).isEqualTo(303);
    }

    private static HttpResponse<Void> logOut(HttpClient http, String cookie, String form) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(cp.baseUrl() + "/ui/logout")).header("Cookie", cookie)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.discarding());
    }

    private static HttpResponse<String> get(HttpClient http, String path, String header,
                                                           String value) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(cp.baseUrl() + path))
                .header(header, value).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    @Order(4)
    void screenshot() throws Exception {
        Path png = Path.of("target", "ui-status.png").toAbsolutePath();
        Files.deleteIfExists(png);
        chromium("--screenshot=" + png, "--window-size=1280,1000", "--hide-scrollbars", loginUrl());
        assertThat(png).exists();
        byte[] bytes = Files.readAllBytes(png);
        assertThat(bytes.length).isGreaterThan(20_000);
        assertThat(new String(bytes, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
    }

    @Test
    @Order(5)
    void anOperatorDeploysFromThePageWatchesItApplyAndCancelsAScheduledOne() throws Exception {
        try (HeadlessChromium browser = new HeadlessChromium(work, 1280, 900)) {
            browser.open(loginUrl());
            assertThat(browser.location()).endsWith("/ui");
            browser.open(browser.eval("document.querySelector('tr[data-robot=\"flex-1\"] a.deploy').href"));
            assertThat(browser.dom()).contains("<b>flex-1</b>").doesNotContain("http-equiv=\"refresh\"");
            chooseRelease(browser, "1.0.0");
            browser.screenshot(Path.of("target", "ui-deploy-form.png"));
            browser.click("#deploy button[type=submit]");
            String page = browser.location();
            assertThat(page).contains("/ui/deployments/").endsWith("?created=1");
            String id = page.replaceAll(".*/ui/deployments/|\\?.*", "");
            assertThat(browser.dom()).contains("Deployment created.", "data-active=\"true\"", "release 1.0.0 → robot flex-1");

            // the agent's polls carry its phase; the page (refreshing itself) and the CLI show it
            flex1.pollWithProgress(id + " downloading 2097152/5242880");
            browser.open(page);
            assertThat(browser.dom()).contains("downloading 40%");
            flex1.pollWithProgress(id + " watching 12/30");
            browser.open(page);
            assertThat(browser.dom()).contains("watching 12/30 s");
            browser.screenshot(Path.of("target", "ui-deployment-progress.png"));
            assertThat(cli.run("status", id).ok().out()).contains("flex-1", "dispatched", "watching 12/30 s");
            flex1.report(id, DeploymentStatus.APPLIED, "applied release 1.0.0, running as pid 28561");
            browser.open(page);
            assertThat(browser.dom()).contains("data-active=\"false\"", "running as pid 28561")
                    .doesNotContain("watching 12/30 s");

            // a fleet deployment in waves for tomorrow, cancelled before it starts
            browser.open(cp.baseUrl() + "/ui");
            browser.open(browser.eval("document.querySelector('[data-fleet=\"bay-2\"] a.deploy').href"));
            chooseRelease(browser, "1.1.0");
            browser.set("input[name=scheduled_at]", java.time.LocalDate.now(java.time.ZoneOffset.UTC).plusDays(1)
                    + "T03:00");
            browser.set("input[name=batch_size]", "1");
            browser.click("#deploy button[type=submit]");
            String scheduled = browser.location().replaceAll(".*/ui/deployments/|\\?.*", "");
            assertThat(browser.dom()).contains("scheduled for", "03:00:00 UTC",
                    "data-status=\"queued\" data-count=\"1\"", "data-active=\"true\"",
                    "quarantined"); // flex-2 rolled 1.1.0 back before: not offered it again

            browser.click("form.cancel button");
            assertThat(browser.location()).endsWith("?cancelled=1");
            assertThat(browser.dom()).contains("Cancelled:", "data-active=\"false\"", "cancelled by operator");
            assertThat(cli.run("status", scheduled).out()).contains("finished: 2 failed");
        }
    }

    private static void chooseRelease(HeadlessChromium browser, String semver) throws Exception {
        browser.eval("(() => { const s = document.querySelector('select[name=release_id]'); s.value = [...s.options]"
                + ".find(o => o.text.endsWith(' " + semver + "')).value; return s.value; })()");
    }

    // --- helpers -------------------------------------------------------------------------------------------

    private static String loginUrl() throws IOException {
        return cp.baseUrl() + "/ui/login?token=" + cp.operatorToken();
    }

    private static String token(CliRun cli, String robot) {
        return cli.run("robot", "enroll", robot, "--json").ok().json().path("token").asText();
    }

    private static String fleetCard(String dom) {
        int start = dom.indexOf("data-fleet=\"bay-2\"");
        return dom.substring(start, dom.indexOf("</section>", start));
    }

    private static String robotRow(String dom, String robot) {
        Matcher m = Pattern.compile("<tr class=\"[^\"]*\" data-robot=\"" + Pattern.quote(robot) + "\">.*?</tr>",
                Pattern.DOTALL).matcher(dom);
        if (!m.find()) {
            throw new AssertionError("no row for robot " + robot + " in:\n" + dom);
        }
        return m.group();
    }

    /** Runs headless Chromium with a fresh profile; returns stdout (the DOM for --dump-dom). */
    private static String chromium(String... args) throws Exception {
        if (!Files.isExecutable(Path.of(CHROMIUM))) {
            throw new IllegalStateException(CHROMIUM + " is missing: apt-get install -y chromium (scripts/test "
                    + "installs it)");
        }
        Path profile = Files.createTempDirectory(work, "chromium-profile");
        List<String> cmd = new ArrayList<>(List.of(CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-dev-shm-usage", "--user-data-dir=" + profile));
        cmd.addAll(List.of(args));
        Path out = work.resolve("chromium-" + System.nanoTime() + ".out");
        Path err = work.resolve("chromium-" + System.nanoTime() + ".err");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("chromium did not finish within 120 s: " + Files.readString(err));
        }
        if (p.exitValue() != 0) {
            throw new AssertionError("chromium exited " + p.exitValue() + ": " + Files.readString(err));
        }
        return Files.readString(out);
    }
}
