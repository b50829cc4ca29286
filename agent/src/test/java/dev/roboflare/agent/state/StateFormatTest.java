package dev.roboflare.agent.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roboflare.protocol.ArtifactKind;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** state.json as a format robots keep across upgrades: older files load, newer ones are refused, lost ones rebuilt. */
class StateFormatTest {
    @TempDir
    Path dir;

    AgentState loadFixture(String name) throws IOException {
        return loadFixture("v1-052d5f0", name);
    }

    AgentState loadFixture(String format, String name) throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/state-fixtures/" + format + "/" + name + ".json")) {
            Files.write(dir.resolve("state.json"), in.readAllBytes());
        }
        return new StateStore(dir).load();
    }

    @Test
    void aMidWatchStateWrittenByTheFormerAgentLoadsWithEverythingItNeedsToResume() throws IOException {
        AgentState s = loadFixture("watch");
        assertThat(s.version()).isEqualTo(AgentState.VERSION);
        assertThat(s.rebuilt()).isFalse();
        assertThat(s.current().id()).isEqualTo("rel-110");
        assertThat(s.previous().manifest().path("env").path("MODE").asText()).isEqualTo("lab");
        assertThat(s.app().pid()).isEqualTo(4242);
        assertThat(s.app().startTime()).isEqualTo("123456789");
        assertThat(s.finished()).containsExactly("dep-1", "dep-2");
        InFlight f = s.inFlight();
        assertThat(f.phase()).isEqualTo("watch");
        assertThat(f.entries("watch")).isEqualTo(1);
        assertThat(f.priorCurrent().id()).isEqualTo("rel-100");
        assertThat(f.priorPrevious().id()).isEqualTo("rel-090");
        assertThat(f.downloaded().size()).isEqualTo(10240);
        DeploymentRecord d = f.deployment();
        assertThat(d.id()).isEqualTo("dep-7f3a");
        assertThat(d.releaseId()).isEqualTo("rel-110");
        assertThat(d.semver()).isEqualTo("1.1.0");
        assertThat(d.manifest().path("entrypoint").get(1).asText()).isEqualTo("--fast");
        assertThat(d.artifactKind()).isEqualTo(ArtifactKind.APP_TARBALL);
        assertThat(d.sha256()).isEqualTo("ab".repeat(32));
        assertThat(d.size()).isEqualTo(10240);
        assertThat(d.downloadUrl()).isEqualTo("http://cp.example/artifacts/art-110?sig=x");
        assertThat(d.signedStatement()).isNull();
    }

    @Test
    void aReportAfterRollbackKeepsItsDecidedEventAndAnIdleContainerStateItsContainer() throws IOException {
        AgentState report = loadFixture("report");
        assertThat(report.inFlight().phase()).isEqualTo("report");
        assertThat(report.inFlight().outcome().eventId()).isEqualTo("evt-1");
        assertThat(report.inFlight().outcome().status().wire()).isEqualTo("rolled_back");
        assertThat(report.inFlight().problem()).contains("exited with code 3");
        AgentState idle = loadFixture("idle");
        assertThat(idle.inFlight()).isNull();
        assertThat(idle.app().launcher()).isEqualTo("docker");
        assertThat(idle.app().unit()).isEqualTo("c0ffee");
    }

    @Test
    void aMigratedStateIsWrittenBackInTheCurrentFormatAndReadsTheSame() throws IOException {
        AgentState s = loadFixture("watch");
        new StateStore(dir).save(s);
        var tree = new ObjectMapper().readTree(dir.resolve("state.json").toFile());
        assertThat(tree.path("version").asInt()).isEqualTo(AgentState.VERSION);
        assertThat(tree.path("in_flight").path("deployment").path("release_id").asText()).isEqualTo("rel-110");
        assertThat(tree.path("in_flight").path("deployment").has("release")).as("no wire record on disk").isFalse();
        assertThat(new StateStore(dir).load()).isEqualTo(s);
    }

    @Test
    void aFormat2StateAtExtractLoadsNeverGatedNorForcedAndGoesOnToTheGate() throws IOException {
        AgentState s = loadFixture("v2-573a0ed", "extract");
        assertThat(s.version()).isEqualTo(AgentState.VERSION);
        InFlight f = s.inFlight();
        assertThat(f.phase()).isEqualTo("extract");
        assertThat(f.gatedSince()).isNull();
        assertThat(f.gateReason()).isNull();
        assertThat(f.deployment().force()).isFalse();
        assertThat(f.deployment().releaseId()).isEqualTo("rel-2-0-0");
        assertThat(f.priorCurrent().id()).isEqualTo("rel-1-0-0");
        assertThat(f.downloaded().size()).isEqualTo(1234);
        new StateStore(dir).save(s.withInFlight(f.withPhase("gate").withGate(java.time.Instant.parse(
                "2026-11-29T14:02:00Z"), "run abc running since 14:02")));
        var tree = new ObjectMapper().readTree(dir.resolve("state.json").toFile());
        assertThat(tree.path("version").asInt()).isEqualTo(3);
        assertThat(tree.path("in_flight").path("phase").asText()).isEqualTo("gate");
        assertThat(tree.path("in_flight").path("gated_since").asText()).isEqualTo("2026-11-29T14:02:00Z");
        assertThat(new StateStore(dir).load().inFlight().gateReason()).isEqualTo("run abc running since 14:02");
    }

    @Test
    void aFormat2StateWrittenBeforeDeltaDownloadsLoadsWithoutAChunksUrlAndResumesAsAWholeDownload()
            throws IOException {
        AgentState s = loadFixture("v2-7319244", "watch");
        assertThat(s.version()).isEqualTo(AgentState.VERSION);
        assertThat(s.inFlight().phase()).isEqualTo("watch");
        assertThat(s.inFlight().deployment().downloadUrl()).isEqualTo("http://cp.example/artifacts/art-110?sig=x");
        assertThat(s.inFlight().deployment().chunksUrl()).isNull();
        assertThat(s.inFlight().deployment().artifact().chunksUrl()).isNull();
        assertThat(loadFixture("v2-7319244", "report").inFlight().outcome().eventId()).isEqualTo("evt-1");
        assertThat(s).as("the same state as its v1 original").isEqualTo(loadFixture("watch"));
    }

    @Test
    void aChunksUrlFromAPollIsKeptInStateJsonAndRefreshedWithTheDownloadUrl() throws IOException {
        AgentState s = loadFixture("v2-7319244", "watch");
        DeploymentRecord d = s.inFlight().deployment().withUrls(new dev.roboflare.protocol.AgentApi.Artifact(
                "art-110", ArtifactKind.APP_TARBALL, "demo-app", "ab".repeat(32), 10240, "http://cp.example/d2",
                "http://cp.example/c2"));
        new StateStore(dir).save(s.withInFlight(s.inFlight().withDeployment(d)));
        var tree = new ObjectMapper().readTree(dir.resolve("state.json").toFile());
        assertThat(tree.path("version").asInt()).isEqualTo(AgentState.VERSION);
        DeploymentRecord back = new StateStore(dir).load().inFlight().deployment();
        assertThat(back.downloadUrl()).isEqualTo("http://cp.example/d2");
        assertThat(back.chunksUrl()).isEqualTo("http://cp.example/c2");
        assertThat(back.asReceived().artifact().chunksUrl()).isEqualTo("http://cp.example/c2");
    }

    @Test
    void aStateFromANewerAgentIsRefusedAndLeftInPlace() throws IOException {
        Files.writeString(dir.resolve("state.json"), "{\"version\": 99, \"whatever\": {}}");
        assertThatThrownBy(() -> new StateStore(dir).load()).isInstanceOf(StateStore.NewerStateException.class)
                .hasMessageContaining("format version 99, newer than this agent reads (up to " + AgentState.VERSION)
                .hasMessageContaining("newer roboflare-agent");
        assertThat(dir.resolve("state.json")).hasContent("{\"version\": 99, \"whatever\": {}}");
    }

    @Test
    void aCorruptStateIsMovedAsideAndRebuiltFromTheCurrentLinkAndTheReleases() throws IOException {
        ObjectMapper m = new ObjectMapper();
        Path r1 = Files.createDirectories(dir.resolve("releases/rel-1"));
        Path r2 = Files.createDirectories(dir.resolve("releases/rel-2"));
        StateRecovery.writeReleaseFile(r1, new ReleaseRecord("rel-1", "1.0.0", r1.toString(),
                m.readTree("{\"entrypoint\": [\"bin/app\"]}")));
        StateRecovery.writeReleaseFile(r2, new ReleaseRecord("rel-2", "2.0.0", r2.toString(),
                m.readTree("{\"entrypoint\": [\"bin/app\", \"2\"]}")));
        Files.createSymbolicLink(dir.resolve("current"), Path.of("releases/rel-2"));
        Files.writeString(dir.resolve("state.json"), "{\"version\": 2, \"current\": {\"id\": \"rel-");

        AgentState s = new StateStore(dir).load();

        assertThat(s.rebuilt()).isTrue();
        assertThat(s.current().id()).isEqualTo("rel-2");
        assertThat(s.current().semver()).isEqualTo("2.0.0");
        assertThat(s.current().dir()).isEqualTo(r2.toString());
        assertThat(s.current().manifest().path("entrypoint").get(1).asText()).isEqualTo("2");
        assertThat(s.previous().id()).isEqualTo("rel-1");
        assertThat(s.inFlight()).isNull();
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("state.json.corrupt-"));
        }
    }

    @Test
    void aMissingStateOnARobotWithReleasesIsRebuiltButAFreshRobotStartsEmpty() throws IOException {
        assertThat(new StateStore(dir).load()).isEqualTo(AgentState.empty());
        Path r1 = Files.createDirectories(dir.resolve("releases/rel-1"));
        StateRecovery.writeReleaseFile(r1, new ReleaseRecord("rel-1", "1.0.0", r1.toString(), null));
        Files.createSymbolicLink(dir.resolve("current"), Path.of("releases/rel-1"));
        AgentState s = new StateStore(dir).load();
        assertThat(s.rebuilt()).isTrue();
        assertThat(s.current().semver()).isEqualTo("1.0.0");
    }
}
