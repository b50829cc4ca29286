package dev.roboflare.agent.executor.container;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Container;
import dev.roboflare.agent.Main;
import dev.roboflare.agent.state.AgentState;
import dev.roboflare.agent.state.StateStore;
import dev.roboflare.agent.testing.FakeControlPlane;
import dev.roboflare.protocol.ArtifactKind;
import dev.roboflare.protocol.DeploymentStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent as a real process ({@code --executor docker}) against the real engine scripts/test starts: images
 * loaded from docker-save archives (or pulled by digest), run as labelled containers, rolled back to the previous
 * container, and resumed after a SIGKILL. Fails (never skips) without the engine.
 */
class DockerAgentTest {
    static final String TOKEN = "robot-token-docker";
    static final String RUNS = "{\"cmd\": [\"sh\", \"-c\", \"echo up; exec sleep 300\"], \"env\": {\"ROBOT\": \"r1\"}}";

    @TempDir
    Path dir;
    TestEngine engine;
    FakeControlPlane cp;
    final String run = UUID.randomUUID().toString().substring(0, 8);
    final List<Process> agents = new ArrayList<>();
    final List<String> semvers = new ArrayList<>();
    final List<String> releaseIds = new ArrayList<>();
    final List<String> images = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        engine = TestEngine.require();
        cp = new FakeControlPlane(TOKEN);
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (Process p : agents) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        if (engine != null) {
            engine.cleanUp(releaseIds, semvers);
            for (String ref : images) {
                try {
                    engine.docker.removeImageCmd(ref).exec();
                } catch (RuntimeException ignored) {
                    // already gone
                }
            }
        }
        if (cp != null) {
            cp.close();
        }
    }

    @Test
    void goodImageIsAppliedThenOneThatExitsIsRolledBackThenACorruptArchiveFails() throws Exception {
        Process agent = agent(null, "agent.log");
        String v1 = semver("1.0.0");
        String d1 = cp.deploy(v1, ArtifactKind.CONTAINER_IMAGE, "demo-img", TestEngine.baseArchive(), RUNS);
        assertThat(finalEvent(d1).status()).as(log("agent.log")).isEqualTo(DeploymentStatus.APPLIED);
        List<Container> running = engine.running(releaseIds);
        assertThat(running).singleElement().satisfies(c -> {
            assertThat(c.getLabels()).containsEntry("roboflare.release_id", releaseId(v1))
                    .containsEntry("roboflare.deployment_id", d1);
        });
        String c1 = running.get(0).getId();
        InspectContainerResponse in1 = engine.docker.inspectContainerCmd(c1).exec();
        assertThat(in1.getHostConfig().getRestartPolicy().getName()).isIn("no", "");
        assertThat(in1.getConfig().getEnv()).contains("ROBOT=r1");
        assertThat(engine.hasImage("roboflare/app:" + ContainerExecutor.tagOf(v1))).isTrue();
        AgentState s = new StateStore(dir.resolve("state")).load();
        assertThat(s.app().launcher()).isEqualTo("docker");
        assertThat(s.app().unit()).as("the container id is persisted").isEqualTo(c1);

        String v2 = semver("2.0.0");
        String d2 = cp.deploy(v2, ArtifactKind.CONTAINER_IMAGE, "demo-img", TestEngine.baseArchive(),
                "{\"cmd\": [\"sh\", \"-c\", \"echo starting v2; echo cannot open /dev/arm >&2; sleep 2; exit 1\"]}");
        FakeControlPlane.Received e2 = finalEvent(d2);
        assertThat(e2.status()).as(log("agent.log")).isEqualTo(DeploymentStatus.ROLLED_BACK);
        assertThat(e2.detail()).contains("exited with code 1").contains("OOMKilled=false")
                .contains("starting v2").contains("cannot open /dev/arm").contains("rolled back to release " + v1);
        assertThat(engine.running(releaseIds)).singleElement().extracting(Container::getId)
                .as("the previous container runs again").isEqualTo(c1);
        assertThat(engine.appContainers(List.of(releaseId(v2)))).as("the failed container is removed").isEmpty();

        String startedBefore = engine.docker.inspectContainerCmd(c1).exec().getState().getStartedAt();
        String v3 = semver("3.0.0");
        String d3 = cp.deploy(v3, ArtifactKind.CONTAINER_IMAGE, "demo-img",
                "this is not an image archive".getBytes(StandardCharsets.UTF_8), RUNS);
        FakeControlPlane.Received e3 = finalEvent(d3);
        assertThat(e3.status()).isEqualTo(DeploymentStatus.FAILED);
        assertThat(e3.detail()).contains("not an image archive");
        InspectContainerResponse after = engine.docker.inspectContainerCmd(c1).exec();
        assertThat(after.getState().getRunning()).as("the old container is untouched").isTrue();
        assertThat(after.getState().getStartedAt()).isEqualTo(startedBefore);
        assertThat(engine.running(releaseIds)).hasSize(1);
        assertThat(log("agent.log")).contains("executor=docker");
        agent.destroyForcibly();
    }

    @Test
    void killedDuringTheWatchAndRestartedItEndsWithOneAppContainer() throws Exception {
        Process first = agent(null, "agent-1.log");
        String v1 = semver("1.0.0");
        String d1 = cp.deploy(v1, ArtifactKind.CONTAINER_IMAGE, "demo-img", TestEngine.baseArchive(), RUNS);
        assertThat(finalEvent(d1).status()).as(log("agent-1.log")).isEqualTo(DeploymentStatus.APPLIED);
        first.destroyForcibly().waitFor(10, TimeUnit.SECONDS);

        String v2 = semver("2.0.0");
        String d2 = cp.deploy(v2, ArtifactKind.CONTAINER_IMAGE, "demo-img", TestEngine.baseArchive(), RUNS);
        Process second = agent("watch", "agent-2.log");
        waitUntil(() -> log("agent-2.log").contains("<5>test hook: paused at watch"));
        second.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL in the watch window
        assertThat(cp.eventsFor(d2)).isEmpty();
        assertThat(engine.running(releaseIds)).singleElement()
                .satisfies(c -> assertThat(c.getLabels()).containsEntry("roboflare.release_id", releaseId(v2)));

        agent(null, "agent-3.log");
        FakeControlPlane.Received e = finalEvent(d2);
        assertThat(e.status()).as(log("agent-3.log")).isEqualTo(DeploymentStatus.APPLIED);
        assertThat(cp.eventsFor(d2)).hasSize(1);
        assertThat(log("agent-3.log")).contains("step=watch outcome=resumed").contains("step=watch outcome=ok");
        assertThat(engine.running(releaseIds)).singleElement()
                .satisfies(c -> assertThat(c.getLabels()).containsEntry("roboflare.release_id", releaseId(v2)));
        assertThat(engine.appContainers(List.of(releaseId(v1)))).as("the previous container is kept, stopped; "
                        + "prune lines: " + log("agent-3.log").lines().filter(l -> l.contains("step=prune")).toList())
                .singleElement().extracting(Container::getState).isNotEqualTo("running");
    }

    @Test
    void killedDuringTheRollbackAndRestartedItStartsThePreviousContainerAgain() throws Exception {
        Process first = agent(null, "agent-1.log");
        String v1 = semver("1.0.0");
        String d1 = cp.deploy(v1, ArtifactKind.CONTAINER_IMAGE, "demo-img", TestEngine.baseArchive(), RUNS);
        assertThat(finalEvent(d1).status()).as(log("agent-1.log")).isEqualTo(DeploymentStatus.APPLIED);
        String c1 = engine.running(releaseIds).get(0).getId();
        first.destroyForcibly().waitFor(10, TimeUnit.SECONDS);

        String v2 = semver("2.0.0");
        String d2 = cp.deploy(v2, ArtifactKind.CONTAINER_IMAGE, "demo-img", TestEngine.baseArchive(),
                "{\"cmd\": [\"sh\", \"-c\", \"echo v2 gives up; exit 7\"]}");
        Process second = agent("rollback", "agent-2.log");
        waitUntil(() -> log("agent-2.log").contains("<5>test hook: paused at rollback"));
        second.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL before the rollback ran

        agent(null, "agent-3.log");
        FakeControlPlane.Received e = finalEvent(d2);
        assertThat(e.status()).as(log("agent-3.log")).isEqualTo(DeploymentStatus.ROLLED_BACK);
        assertThat(e.detail()).contains("exited with code 7").contains("v2 gives up");
        assertThat(cp.eventsFor(d2)).hasSize(1);
        assertThat(engine.running(releaseIds)).singleElement().extracting(Container::getId)
                .as("the previous container, started again").isEqualTo(c1);
        assertThat(engine.appContainers(List.of(releaseId(v2)))).isEmpty();
    }

    @Test
    void pullsByDigestFromTheRegistryAndRefusesADigestItCannotGet() throws Exception {
        String repo = TestEngine.registry() + "/roboflare-test/tiny";
        String ref = repo + ":" + run;
        Path digestFile = dir.resolve("digest");
        podman("tag", "localhost/tiny:1", ref);
        podman("push", "--tls-verify=false", "--digestfile", digestFile.toString(), ref);
        podman("rmi", ref); // the agent must really pull it
        images.add(ref + "@" + "sha256:"); // placeholder, replaced below once the digest is known
        String digest = Files.readString(digestFile).trim();
        assertThat(digest).startsWith("sha256:");
        images.set(images.size() - 1, ref.substring(0, ref.lastIndexOf(':')) + "@" + digest);

        agent(null, "agent.log");
        String v1 = semver("1.0.0");
        String d1 = cp.deploy(v1, ArtifactKind.CONTAINER_IMAGE, "pulled", "pull".getBytes(StandardCharsets.UTF_8),
                "{\"image\": \"" + ref + "@" + digest + "\", \"cmd\": [\"sleep\", \"300\"]}");
        assertThat(finalEvent(d1).status()).as(log("agent.log")).isEqualTo(DeploymentStatus.APPLIED);
        assertThat(engine.running(releaseIds)).hasSize(1);
        assertThat(engine.docker.inspectImageCmd("roboflare/app:" + ContainerExecutor.tagOf(v1)).exec().getRepoDigests())
                .anyMatch(d -> d.endsWith("@" + digest));

        String v2 = semver("2.0.0");
        String d2 = cp.deploy(v2, ArtifactKind.CONTAINER_IMAGE, "pulled", "pull".getBytes(StandardCharsets.UTF_8),
                "{\"image\": \"" + ref + "@sha256:" + "0".repeat(64) + "\"}");
        FakeControlPlane.Received e2 = finalEvent(d2);
        assertThat(e2.status()).isEqualTo(DeploymentStatus.FAILED);
        assertThat(e2.detail()).contains("container engine");
        assertThat(engine.running(releaseIds)).singleElement()
                .satisfies(c -> assertThat(c.getLabels()).containsEntry("roboflare.release_id", releaseId(v1)));
    }

    @Test
    void anImageWhoseHealthcheckFailsInTheWindowIsRolledBack() throws Exception {
        Process first = agent(null, "agent-1.log");
        String v1 = semver("1.0.0");
        String d1 = cp.deploy(v1, ArtifactKind.CONTAINER_IMAGE, "demo-img", TestEngine.baseArchive(), RUNS);
        assertThat(finalEvent(d1).status()).as(log("agent-1.log")).isEqualTo(DeploymentStatus.APPLIED);
        first.destroyForcibly().waitFor(10, TimeUnit.SECONDS);

        // An image with a HEALTHCHECK that fails. podman runs health checks from systemd timers, which this
        // machine does not have, so the test runs the check itself (podman healthcheck run) once the app is up.
        Path ctx = Files.createDirectories(dir.resolve("hc"));
        Files.writeString(ctx.resolve("Containerfile"), "FROM localhost/tiny:1\n"
                + "HEALTHCHECK --interval=1s --retries=1 CMD false\nCMD [\"sleep\", \"300\"]\n");
        String tag = "localhost/roboflare-test-hc:" + run;
        podman("build", "--pull=never", "--format", "docker", "-q", "-t", tag, ctx.toString());
        podman("save", "--format", "docker-archive", "-o", dir.resolve("hc.tar").toString(), tag);
        podman("rmi", tag);
        images.add(tag); // loaded again by the agent

        agent(null, "agent-2.log", "120s");
        String v2 = semver("2.0.0");
        String d2 = cp.deploy(v2, ArtifactKind.CONTAINER_IMAGE, "hc-img", Files.readAllBytes(dir.resolve("hc.tar")),
                "{}");
        waitUntil(() -> log("agent-2.log").contains("step=switch outcome=ok"));
        String c2 = engine.running(List.of(releaseId(v2))).get(0).getId();
        podman("healthcheck", "run", c2); // exits 1: the container is now unhealthy
        FakeControlPlane.Received e = finalEvent(d2);
        assertThat(e.status()).as(log("agent-2.log")).isEqualTo(DeploymentStatus.ROLLED_BACK);
        assertThat(e.detail()).contains("unhealthy").contains("rolled back to release " + v1);
        assertThat(engine.running(releaseIds)).singleElement()
                .satisfies(c -> assertThat(c.getLabels()).containsEntry("roboflare.release_id", releaseId(v1)));
    }

    String semver(String base) {
        String v = base + "-t" + run;
        semvers.add(v);
        releaseIds.add(releaseId(v));
        return v;
    }

    static String releaseId(String semver) {
        return "rel-" + semver.replace('.', '-'); // as FakeControlPlane names releases
    }

    Process agent(String pauseAt, String logName) throws IOException {
        return agent(pauseAt, logName, "5s");
    }

    Process agent(String pauseAt, String logName, String watchWindow) throws IOException {
        Files.writeString(dir.resolve("token"), TOKEN + "\n");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "--control-plane", cp.url(), "--token-file", dir.resolve("token").toString(),
                "--state-dir", dir.resolve("state").toString(), "--executor", "docker",
                "--poll-interval", "200ms", "--watch-window", watchWindow, "--max-backoff", "1s"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(logName).toFile()));
        if (pauseAt != null) {
            pb.environment().put("ROBOFLARE_AGENT_PAUSE_AT", pauseAt);
        }
        Process p = pb.start();
        agents.add(p);
        return p;
    }

    FakeControlPlane.Received finalEvent(String deployment) throws InterruptedException {
        waitUntil(() -> !cp.eventsFor(deployment).isEmpty());
        return cp.eventsFor(deployment).get(0);
    }

    String log(String name) {
        try {
            Path p = dir.resolve(name);
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (IOException e) {
            return "";
        }
    }

    static void podman(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("podman"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int rc = p.waitFor();
        if (!args[0].equals("healthcheck")) {
            assertThat(rc).as(String.join(" ", cmd) + "\n" + out).isZero();
        }
    }

    /** Generous: the machine is shared; this is a deadline for a hang, not a timing goal. */
    static void waitUntil(BooleanSupplier c) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("condition not met within 120s");
            }
            Thread.sleep(100);
        }
    }
}
