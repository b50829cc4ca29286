package dev.roboflare.planner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roboflare.planner.testing.PlannerRun;
import java.util.Map;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AssetsCommandTest {
    private MockWebServer host;
    private Map<String, String> files;

    @BeforeEach
    void start() throws Exception {
        host = new MockWebServer();
        host.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                String body = files.get(request.getRequestUrl().encodedPath());
                return body == null ? new MockResponse().setResponseCode(404).setBody("<Error>NoSuchKey</Error>")
                        : new MockResponse().setBody(body);
            }
        });
        host.start();
    }

    @AfterEach
    void stop() throws Exception {
        host.shutdown();
    }

    private static String yml(String version, String file) {
        return "version: " + version + "\nfiles:\n  - url: " + file + "\n    sha512: abc==\n    size: 123\n"
                + "path: " + file + "\nsha512: abc==\nreleaseDate: '2026-05-26T16:00:00.000Z'\n";
    }

    private void flexAlphaPublished(boolean robotToo) {
        String appJson = "{\"production\": {\"8.4.0\": {\"version\": \"8.4.0\"},"
                + " \"8.5.0-alpha.0\": {\"windows\": \"https://ot3-development.builds.opentrons.com/app/Opentrons-v8.5.0-alpha.0-win.exe\"}}}";
        String robotJson = robotToo
                ? "{\"production\": {\"8.5.0-alpha.0\": {\"fullImage\": \"https://ot3-development.builds.opentrons.com/ot3-oe/8.5.0-alpha.0/ot3-fullimage.zip\","
                        + " \"system\": \"https://ot3-development.builds.opentrons.com/ot3-oe/8.5.0-alpha.0/ot3-system.zip\","
                        + " \"releaseNotes\": \"https://ot3-development.builds.opentrons.com/ot3-oe/8.5.0-alpha.0/release-notes.md\"}}}"
                : "{\"production\": {\"8.4.0\": {}}}";
        files = new java.util.HashMap<>(Map.of(
                "/app/releases.json", appJson,
                "/ot3-oe/releases.json", robotJson,
                "/app/alpha.yml", yml("8.5.0-alpha.0", "Opentrons-v8.5.0-alpha.0-win.exe"),
                "/app/alpha-mac.yml", yml("8.5.0-alpha.0", "Opentrons-v8.5.0-alpha.0-mac.zip"),
                "/app/alpha-linux.yml", yml("'8.5.0-alpha.0'", "Opentrons-v8.5.0-alpha.0-linux-x86_64.AppImage"),
                "/app/latest.yml", yml("8.4.0", "Opentrons-v8.4.0-win.exe")));
    }

    @Test
    void reportsWhereTheVersionIsPublishedWithItsUrls() {
        flexAlphaPublished(true);

        PlannerRun run = PlannerRun.run("assets", "--path", "flex", "--tag", "ot3@8.5.0-alpha.0", "--base-url", host.url("/").toString());

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        String out = run.out();
        assertThat(out).containsPattern("app releases.json +yes +yes +8.5.0-alpha.0 listed under production");
        assertThat(out).containsPattern("robot releases.json +yes +yes .*/ot3-oe/releases.json");
        assertThat(out).containsPattern("alpha-mac.yml +yes +yes +points at 8.5.0-alpha.0");
        assertThat(out).containsPattern("latest.yml +- +no +points at 8.4.0, not 8.5.0-alpha.0");
        assertThat(out).containsPattern("beta.yml +- +no +HTTP 404");
        assertThat(out).contains("robot releases.json: https://ot3-development.builds.opentrons.com/ot3-oe/8.5.0-alpha.0/ot3-system.zip",
                "alpha-mac.yml: " + host.url("/app/Opentrons-v8.5.0-alpha.0-mac.zip"), "OK: 8.5.0-alpha.0");
    }

    @Test
    void aVersionMissingFromTheRobotManifestIsExitThreeAndShowsInJson() throws Exception {
        flexAlphaPublished(false);

        PlannerRun run = PlannerRun.run("assets", "--tag", "ot3@8.5.0-alpha.0", "--base-url", host.url("/").toString(), "--json");

        assertThat(run.exitCode()).isEqualTo(3);
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertThat(json.path("all_expected_present").asBoolean()).isFalse();
        assertThat(json.path("updater_channel").asText()).isEqualTo("alpha");
        JsonNode robot = json.path("checks").get(1);
        assertThat(robot.path("artifact").asText()).isEqualTo("robot releases.json");
        assertThat(robot.path("present").asBoolean()).isFalse();
        assertThat(robot.path("detail").asText()).isEqualTo("8.5.0-alpha.0 not listed");
        assertThat(json.path("checks")).hasSize(11);
    }

    @Test
    void ot2StableReadsOt2BrAndTheLatestYamls() {
        files = Map.of(
                "/app/releases.json", "{\"production\": {\"26.5.2601\": {}}}",
                "/ot2-br/releases.json", "{\"production\": {\"26.5.2601\": {\"system\": \"ot2-system.zip\"}}}",
                "/app/latest.yml", yml("26.5.2601", "a.exe"),
                "/app/latest-mac.yml", yml("26.5.2601", "a.zip"),
                "/app/latest-linux.yml", yml("26.5.2601", "a.AppImage"));

        PlannerRun run = PlannerRun.run("assets", "--tag", "internal@26.5.2601", "--base-url", host.url("/").toString());

        assertThat(run.exitCode()).as(run.out()).isZero();
        assertThat(run.out()).contains("updater channel latest", host.url("/ot2-br/ot2-system.zip").toString());
        assertThat(run.out()).containsPattern("alpha.yml +- +no +HTTP 404");
    }
}
