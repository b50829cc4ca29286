package dev.roboflare.e2e;

import static dev.roboflare.e2e.OperatorClient.last;
import static org.assertj.core.api.Assertions.assertThat;

import dev.roboflare.protocol.DeploymentStatus;
import dev.roboflare.protocol.OperatorApi;
import dev.roboflare.testkit.ControlPlaneProcess;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Delta downloads with the shipped jars: the agent reaches the control plane through a proxy that counts what the
 * link carries (and, in one test, mistreats connections like a cellular link). Two releases differ in one file;
 * the second must cost about that file, install byte for byte, and never install wrong bytes.
 */
class DeltaDownloadEndToEndTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(180);
    private static final Pattern BYTES_DOWNLOADED = Pattern.compile("bytes_downloaded=(\\d+) via=(\\w+)");
    private static final int MIB = 1 << 20;

    @TempDir
    Path work;
    private ControlPlaneProcess cp;
    private OperatorClient operator;
    private FlakyProxy proxy;
    private final List<AgentProcess> agents = new ArrayList<>();
    private final List<Path> pidFiles = new ArrayList<>();
    private final byte[] model = random(1, 6 * MIB);

    @BeforeEach
    void startControlPlane() throws Exception {
        cp = ControlPlaneProcess.start(work);
        operator = new OperatorClient(cp.baseUrl(), cp.operatorToken());
    }

    @AfterEach
    void stopEverything() throws Exception {
        for (AgentProcess a : agents) {
            a.kill();
        }
        for (Path pidFile : pidFiles) {
            AppPids.kill(pidFile);
        }
        if (proxy != null) {
            proxy.close();
        }
        cp.close();
    }

    @Test
    void theSecondOfTwoReleasesThatDifferInOneFileDownloadsOnlyThatFilesChunks() throws Exception {
        Robot robot = robot("delta-1", 0, Map.of());
        byte[] calibration1 = random(2, MIB);
        byte[] calibration2 = random(3, MIB);
        byte[] v1 = app("1.0.0", calibration1);
        applied(release("1.0.0", v1), robot);

        long before = proxy.bytesToClient();
        byte[] v2 = app("1.1.0", calibration2);
        String r2 = release("1.1.0", v2);
        List<OperatorApi.Event> events = applied(r2, robot);
        long carried = proxy.bytesToClient() - before;

        assertThat(carried).as("bytes the control plane sent for release 1.1.0 (artifact: %d bytes)", v2.length)
                .isLessThan(MIB + 700_000L).isLessThan(v2.length / 4);
        Matcher m = tally(events);
        assertThat(m.group(2)).isEqualTo("delta");
        assertThat(Long.parseLong(m.group(1))).isBetween((long) MIB / 2, carried);
        assertInstalled(robot, r2, calibration2);
        assertThat(robot.agent.logText()).contains("via=delta");
    }

    @Test
    void aChunkCacheThatLostItsChunksIsSeededFromTheInstalledRelease() throws Exception {
        Robot robot = robot("delta-seed", 0, Map.of());
        applied(release("1.0.0", app("1.0.0", random(6, MIB))), robot);
        Path chunks = robot.stateDir.resolve("chunk-cache/chunks");
        try (Stream<Path> files = Files.walk(chunks)) { // trimmed away, or deleted by a technician
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }

        long before = proxy.bytesToClient();
        byte[] calibration2 = random(7, MIB);
        byte[] v2 = app("1.1.0", calibration2);
        String r2 = release("1.1.0", v2);
        List<OperatorApi.Event> events = applied(r2, robot);

        assertThat(proxy.bytesToClient() - before).as("the model came from the installed release, not the link")
                .isLessThan(MIB + 700_000L);
        assertThat(tally(events).group(2)).isEqualTo("delta");
        assertThat(robot.agent.logText()).contains("outcome=seeded");
        assertInstalled(robot, r2, calibration2);
    }

    @Test
    void aCorruptedChunkOnTheServerIsFetchedAgainThenTheArtifactWholeNeverAWrongInstall() throws Exception {
        Robot robot = robot("delta-2", 0, Map.of());
        applied(release("1.0.0", app("1.0.0", random(4, MIB))), robot);
        Set<Path> chunksBefore = chunkFiles();
        byte[] calibration2 = random(5, MIB);
        String r2 = release("1.1.0", app("1.1.0", calibration2));
        Path corrupted = chunkFiles().stream().filter(p -> !chunksBefore.contains(p)).findFirst().orElseThrow();
        byte[] bytes = Files.readAllBytes(corrupted);
        bytes[bytes.length / 2] ^= 0x5a; // same size, other bytes: bit rot in the chunk store
        Files.write(corrupted, bytes);

        List<OperatorApi.Event> events = applied(r2, robot);

        String hash = corrupted.getFileName().toString();
        assertThat(last(events)).isEqualTo(DeploymentStatus.APPLIED);
        assertThat(events.get(events.size() - 1).detail()).contains("chunk " + hash + " failed its SHA-256 check");
        assertThat(tally(events).group(2)).isEqualTo("whole");
        assertInstalled(robot, r2, calibration2);
        assertThat(robot.agent.logText()).contains("outcome=bad-chunk chunk=" + hash);
    }

    @Test
    void anAgentKilledMidDeltaResumesWithTheChunksItAlreadyHad() throws Exception {
        Robot robot = robot("delta-3", 0, Map.of());
        applied(release("1.0.0", app("1.0.0", random(6, 9 * MIB))), robot);
        robot.agent.kill();
        robot.agent = agent(robot, Map.of("ROBOFLARE_AGENT_PAUSE_AT", "download"));
        byte[] calibration2 = random(7, 9 * MIB); // more than one 8 MiB batch
        String r2 = release("1.1.0", app("1.1.0", calibration2));
        String deployment = operator.deployToRobot(r2, robot.id).id();
        robot.agent.awaitLog("test hook: paused at download", TIMEOUT);
        robot.agent.kill();
        long beforeRestart = proxy.bytesToClient();

        robot.agent = agent(robot, Map.of());
        List<OperatorApi.Event> events = operator.awaitFinal(deployment, TIMEOUT);
        long afterRestart = proxy.bytesToClient() - beforeRestart;

        assertThat(last(events)).as(events.toString()).isEqualTo(DeploymentStatus.APPLIED);
        assertThat(afterRestart).as("the first 8 MiB batch stayed in the cache").isLessThan(3L * MIB);
        Matcher m = tally(events);
        assertThat(m.group(2)).isEqualTo("delta");
        assertThat(Long.parseLong(m.group(1))).isBetween(9L * MIB, 9L * MIB + 2L * MIB);
        assertInstalled(robot, r2, calibration2);
    }

    @Test
    void aDeltaOverAFlakyLinkIsAppliedOnceWithTheRightBytes() throws Exception {
        Robot robot = robot("delta-4", 0.30, Map.of());
        applied(release("1.0.0", app("1.0.0", random(8, MIB))), robot);
        byte[] calibration2 = random(9, MIB);
        String r2 = release("1.1.0", app("1.1.0", calibration2));

        List<OperatorApi.Event> events = applied(r2, robot);

        assertThat(events).extracting(OperatorApi.Event::status).containsExactly(DeploymentStatus.QUEUED,
                DeploymentStatus.DISPATCHED, DeploymentStatus.APPLIED);
        assertThat(tally(events).group(2)).isEqualTo("delta");
        assertInstalled(robot, r2, calibration2);
        assertThat(proxy.counts().get(FlakyProxy.Fate.PASS)).isLessThan(
                proxy.counts().values().stream().mapToInt(Integer::intValue).sum());
    }

    @Test
    void maxDownloadRateHoldsTheLinkToItsRate() throws Exception {
        Robot robot = robot("capped-1", 0, Map.of(), List.of("--max-download-rate", "1M"));
        byte[] v1 = app("1.0.0", random(10, MIB)); // about 7 MiB: at 1 MiB/s, at least 6 s after a 1 s burst
        String r1 = release("1.0.0", v1);

        long started = System.nanoTime();
        applied(r1, robot);
        long seconds = (System.nanoTime() - started) / 1_000_000_000L;

        assertThat(v1.length).isGreaterThan(7 * MIB);
        assertThat(seconds).as("a lower bound only: the cap cannot be beaten, a slow machine may take longer")
                .isGreaterThanOrEqualTo(5);
        assertThat(robot.agent.logText()).contains("max_download_rate=1048576");
    }

    // --- helpers -------------------------------------------------------------------------------------------

    private static final class Robot {
        String id;
        Path stateDir;
        Path tokenFile;
        Path log;
        AgentProcess agent;
        List<String> flags = List.of();
    }

    private Robot robot(String name, double faultRate, Map<String, String> env) throws Exception {
        return robot(name, faultRate, env, List.of());
    }

    private Robot robot(String name, double faultRate, Map<String, String> env, List<String> flags)
            throws Exception {
        proxy = new FlakyProxy(URI.create(cp.baseUrl()).getPort(), faultRate, 20261129L);
        OperatorApi.RobotCredentials creds = operator.enrollRobot(name);
        Robot r = new Robot();
        r.id = creds.id();
        Path home = Files.createDirectories(work.resolve(name));
        r.stateDir = home.resolve("state");
        r.tokenFile = AgentProcess.writeToken(home, creds.token());
        r.log = home.resolve("agent.log");
        r.flags = flags;
        r.agent = agent(r, env);
        return r;
    }

    private AgentProcess agent(Robot r, Map<String, String> env) throws IOException {
        List<String> flags = new ArrayList<>(List.of("--max-backoff", "2s"));
        flags.addAll(r.flags);
        AgentProcess a = AgentProcess.start(proxy.url(), r.tokenFile, r.stateDir, r.log, env, flags);
        agents.add(a);
        return a;
    }

    private List<OperatorApi.Event> applied(String releaseId, Robot robot) throws Exception {
        List<OperatorApi.Event> events = operator.awaitFinal(operator.deployToRobot(releaseId, robot.id).id(),
                TIMEOUT);
        assertThat(last(events)).as(events + "\n" + robot.agent.logText()).isEqualTo(DeploymentStatus.APPLIED);
        return events;
    }

    private String release(String semver, byte[] tarball) throws Exception {
        OperatorApi.Artifact a = operator.uploadArtifact("app_tarball", "lab-app", tarball);
        Path pid = work.resolve("pids").resolve(semver + "-" + a.id() + ".pid");
        Files.createDirectories(pid.getParent());
        pidFiles.add(pid);
        return operator.createRelease(a.id(), semver, TestApps.manifest(pid)).id();
    }

    private static Matcher tally(List<OperatorApi.Event> events) {
        String detail = events.get(events.size() - 1).detail();
        Matcher m = BYTES_DOWNLOADED.matcher(detail);
        assertThat(m.find()).as("bytes_downloaded in: " + detail).isTrue();
        return m;
    }

    private void assertInstalled(Robot robot, String releaseId, byte[] calibration) throws IOException {
        Path dir = robot.stateDir.resolve("releases").resolve(releaseId);
        assertThat(Files.readAllBytes(dir.resolve("share/calibration.bin"))).isEqualTo(calibration);
        assertThat(Files.readAllBytes(dir.resolve("share/model.bin"))).isEqualTo(model);
    }

    private Set<Path> chunkFiles() throws IOException {
        try (Stream<Path> files = Files.walk(cp.dataDir().resolve("artifacts/chunks"))) {
            return files.filter(Files::isRegularFile).collect(Collectors.toSet());
        }
    }

    private static byte[] random(long seed, int size) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** A healthy app with a large model file shared by every release and a calibration file that changes. */
    private byte[] app(String release, byte[] calibration) throws IOException {
        String script = "#!/bin/sh\necho \"app " + release + " started as pid $$\"\necho $$ > \"$PID_FILE\"\n"
                + "exec sleep 600\n";
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes))) {
            file(tar, "share/model.bin", model, 0644);
            file(tar, "share/calibration.bin", calibration, 0644);
            file(tar, "bin/app", script.getBytes(StandardCharsets.UTF_8), 0755);
        }
        return bytes.toByteArray();
    }

    private static void file(TarArchiveOutputStream tar, String name, byte[] content, int mode) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name, true);
        e.setSize(content.length);
        e.setMode(0100000 | mode);
        e.setModTime(1_700_000_000_000L);
        tar.putArchiveEntry(e);
        tar.write(content);
        tar.closeArchiveEntry();
    }
}
