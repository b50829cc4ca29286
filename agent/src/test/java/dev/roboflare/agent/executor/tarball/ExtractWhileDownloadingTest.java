package dev.roboflare.agent.executor.tarball;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roboflare.agent.download.ArtifactDownloader;
import dev.roboflare.agent.executor.InstallWhileDownloading;
import dev.roboflare.agent.executor.RejectedArtifactException;
import dev.roboflare.agent.state.DeploymentRecord;
import dev.roboflare.agent.testing.FakeControlPlane;
import dev.roboflare.agent.testing.Tarballs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okio.Buffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The extraction that runs on the download's bytes: what the extract step then renames, or falls back from. */
class ExtractWhileDownloadingTest {
    @TempDir
    Path root;
    TarballExecutor executor;
    Path releases;
    final byte[] model = new byte[3 * 1024 * 1024 + 17]; // several of the pipe's buffers, not a multiple of any

    @BeforeEach
    void setUp() {
        executor = new TarballExecutor(root);
        releases = root.resolve("releases");
        Random random = new Random(17);
        for (int i = 0; i < model.length; i++) {
            model[i] = (byte) ('a' + random.nextInt(26)); // Tarballs takes text
        }
    }

    private byte[] app() throws IOException {
        return Tarballs.plain().dir("bin").file("bin/app", 0755, "#!/bin/sh\nexec sleep 60\n")
                .file("share/model.bin", 0644, new String(model, StandardCharsets.US_ASCII)).bytes();
    }

    private static DeploymentRecord deployment(String release, byte[] tarball, String url) {
        return new DeploymentRecord("dep-1", release, "1.0.0", null, "art-1", "app_tarball", "app",
                FakeControlPlane.sha256(tarball), tarball.length, url, null, null, null, null, false);
    }

    private static DeploymentRecord deployment(String release, byte[] tarball) {
        return deployment(release, tarball, "http://127.0.0.1:9/unused");
    }

    /** Feeds the bytes in uneven slices, as the downloader's reads arrive. */
    private static void feed(InstallWhileDownloading sink, byte[] b, int from, int to) {
        for (int off = from; off < to; off += 7001) {
            sink.accept(b, off, Math.min(7001, to - off));
        }
    }

    private Path part(DeploymentRecord d, byte[] content) throws IOException {
        return Files.write(Files.createDirectories(root.resolve("downloads")).resolve(d.sha256() + ".part"), content);
    }

    private static ArtifactDownloader.Result result(Path part, byte[] b) {
        return new ArtifactDownloader.Result(part, b.length, FakeControlPlane.sha256(b), 0);
    }

    @Test
    void theReleaseIsExtractedWhileDownloadingAndInstallOnlyRenamesIt() throws Exception {
        byte[] tarball = app();
        DeploymentRecord d = deployment("rel-1", tarball);
        InstallWhileDownloading early = executor.installWhileDownloading(d);
        feed(early, tarball, 0, tarball.length);
        Path part = part(d, new byte[0]); // install must not read the part file's bytes again
        early.downloaded(result(part, tarball));
        assertThat(releases.resolve(".tmp-rel-1").resolve("share/model.bin")).hasBinaryContent(model);
        assertThat(releases.resolve("rel-1")).as("no rename before verify").doesNotExist();

        Path dir = executor.install(d, part);

        assertThat(dir).isEqualTo(releases.resolve("rel-1"));
        assertThat(dir.resolve("share/model.bin")).hasBinaryContent(model);
        assertThat(Files.isExecutable(dir.resolve("bin/app"))).isTrue();
        assertThat(releases.resolve(".tmp-rel-1")).doesNotExist();
    }

    @Test
    void aHashMismatchDeletesTheStagedDirectoryAndNothingIsRenamed() throws Exception {
        byte[] tarball = app();
        DeploymentRecord d = deployment("rel-1", tarball);
        InstallWhileDownloading early = executor.installWhileDownloading(d);
        feed(early, tarball, 0, tarball.length);
        early.downloaded(new ArtifactDownloader.Result(part(d, tarball), tarball.length, "0".repeat(64), 0));

        assertThat(releases.resolve(".tmp-rel-1")).doesNotExist();
        assertThat(releases.resolve("rel-1")).doesNotExist();
    }

    @Test
    void aSizeMismatchDeletesTheStagedDirectory() throws Exception {
        byte[] tarball = app();
        DeploymentRecord d = deployment("rel-1", tarball);
        InstallWhileDownloading early = executor.installWhileDownloading(d);
        feed(early, tarball, 0, tarball.length);
        early.downloaded(new ArtifactDownloader.Result(part(d, tarball), tarball.length + 1L,
                FakeControlPlane.sha256(tarball), 0));

        assertThat(releases.resolve(".tmp-rel-1")).doesNotExist();
    }

    /** A delta download rebuilds the part file from cached chunks: the artifact's bytes, none of them fed. */
    @Test
    void aPartFileRebuiltWithoutFeedingTheExtractionIsExtractedFromTheFile() throws Exception {
        byte[] tarball = app();
        DeploymentRecord d = deployment("rel-1", tarball);
        InstallWhileDownloading early = executor.installWhileDownloading(d);
        Path part = part(d, tarball);
        early.downloaded(result(part, tarball));
        assertThat(releases.resolve(".tmp-rel-1")).doesNotExist();

        Path dir = executor.install(d, part);

        assertThat(dir.resolve("share/model.bin")).hasBinaryContent(model);
        assertThat(Files.isExecutable(dir.resolve("bin/app"))).isTrue();
    }

    @Test
    void aPartlyFedExtractionIsNotUsedEvenWhenTheFileMatches() throws Exception {
        byte[] tarball = app();
        DeploymentRecord d = deployment("rel-1", tarball);
        InstallWhileDownloading early = executor.installWhileDownloading(d);
        feed(early, tarball, 0, tarball.length / 3);
        Path part = part(d, tarball);
        early.downloaded(result(part, tarball));
        assertThat(releases.resolve(".tmp-rel-1")).doesNotExist();

        assertThat(executor.install(d, part).resolve("share/model.bin")).hasBinaryContent(model);
    }

    @Test
    void aStoppedDownloadLeavesNoDirectoryAndTheNextAttemptStartsOver() throws Exception {
        byte[] tarball = app();
        DeploymentRecord d = deployment("rel-1", tarball);
        InstallWhileDownloading first = executor.installWhileDownloading(d);
        feed(first, tarball, 0, tarball.length / 2);
        first.abandon();
        assertThat(releases.resolve(".tmp-rel-1")).doesNotExist();

        InstallWhileDownloading second = executor.installWhileDownloading(d);
        feed(second, tarball, 0, tarball.length);
        Path part = part(d, tarball);
        second.downloaded(result(part, tarball));
        assertThat(executor.install(d, part).resolve("share/model.bin")).hasBinaryContent(model);
    }

    @Test
    void bytesVoidedByARestartedDownloadAreNotUsedAndInstallWorksFromThePartFile() throws Exception {
        byte[] tarball = app();
        DeploymentRecord d = deployment("rel-1", tarball);
        InstallWhileDownloading early = executor.installWhileDownloading(d);
        feed(early, new byte[100_000], 0, 100_000); // a stale part file's bytes...
        early.restart(); // ...which the server's 200 to a Range request voids
        feed(early, tarball, 0, tarball.length);
        Path part = part(d, tarball);
        early.downloaded(result(part, tarball));

        assertThat(releases.resolve(".tmp-rel-1")).doesNotExist();
        assertThat(executor.install(d, part).resolve("share/model.bin")).hasBinaryContent(model);
    }

    @Test
    void aDotDotEntryIsRefusedByTheExtractStepWithItsReasonAndLeavesNothing() throws Exception {
        assertRefusedAfterDownload(Tarballs.plain().file("bin/app", 0755, "#!/bin/sh\n")
                .file("../../etc/evil", 0644, "x").bytes(), "'../../etc/evil' escapes the release directory");
        assertThat(root.getParent().resolve("etc/evil")).doesNotExist();
    }

    @Test
    void anOutOfTreeSymlinkIsRefusedByTheExtractStepAndLeavesNothing() throws Exception {
        assertRefusedAfterDownload(Tarballs.plain().dir("a").symlink("a/b", "../../b")
                .file("bin/app", 0755, "#!/bin/sh\n").bytes(), "escapes the release directory");
    }

    @Test
    void aSymlinkChainOutOfTheTreeIsRefused() throws Exception {
        assertRefusedAfterDownload(Tarballs.plain().symlink("up", ".").symlink("x", "up/../..").bytes(),
                "escapes the release directory");
    }

    private void assertRefusedAfterDownload(byte[] evil, String reason) throws Exception {
        DeploymentRecord d = deployment("rel-1", evil);
        InstallWhileDownloading early = executor.installWhileDownloading(d);
        feed(early, evil, 0, evil.length);
        Path part = part(d, evil);
        early.downloaded(result(part, evil));
        assertThat(releases.resolve(".tmp-rel-1")).as("a refused extraction is not staged").doesNotExist();

        assertThatThrownBy(() -> executor.install(d, part)).isInstanceOf(RejectedArtifactException.class)
                .hasMessageContaining(reason);
        assertThat(releases.resolve(".tmp-rel-1")).doesNotExist();
        assertThat(releases.resolve("rel-1")).doesNotExist();
    }

    @Test
    void aStagedReleaseThatWasNeverInstalledIsRemovedWhenTheNextDownloadStarts() throws Exception {
        byte[] tarball = app();
        InstallWhileDownloading early = executor.installWhileDownloading(deployment("rel-1", tarball));
        feed(early, tarball, 0, tarball.length);
        early.downloaded(result(part(deployment("rel-1", tarball), tarball), tarball));
        assertThat(releases.resolve(".tmp-rel-1")).isDirectory();

        executor.installWhileDownloading(deployment("rel-2", tarball)).abandon();

        assertThat(releases.resolve(".tmp-rel-1")).doesNotExist();
        assertThat(releases.resolve(".tmp-rel-2")).doesNotExist();
    }

    @Test
    void anInstalledReleaseIsNotExtractedAgain() throws Exception {
        byte[] tarball = app();
        DeploymentRecord d = deployment("rel-1", tarball);
        executor.install(d, part(d, tarball));
        assertThat(executor.installWhileDownloading(d)).isNull();
    }

    /**
     * An agent killed mid-download leaves a part file and a half-extracted .tmp- directory; the next start resumes
     * the download with Range, feeds the part file's bytes and then the rest to a fresh extraction, and installs.
     */
    @Test
    void aDownloadResumedAfterAKillRedoesTheExtractionFromThePartFileAndTheRest() throws Exception {
        byte[] tarball = app();
        int half = tarball.length / 2;
        try (MockWebServer server = new MockWebServer()) {
            server.enqueue(new MockResponse().setResponseCode(206)
                    .setHeader("Content-Range", "bytes " + half + "-" + (tarball.length - 1) + "/" + tarball.length)
                    .setBody(new Buffer().write(Arrays.copyOfRange(tarball, half, tarball.length))));
            server.start();
            DeploymentRecord d = deployment("rel-1", tarball, server.url("/blob").toString());
            Path part = part(d, Arrays.copyOf(tarball, half));
            Path leftover = Files.createDirectories(releases.resolve(".tmp-rel-1/share"));
            Files.writeString(leftover.resolve("half-written.bin"), "from the killed agent");
            ArtifactDownloader downloader = new ArtifactDownloader(new OkHttpClient.Builder()
                    .readTimeout(5, TimeUnit.SECONDS).build(), root.resolve("downloads"), null);

            InstallWhileDownloading early = executor.installWhileDownloading(d);
            ArtifactDownloader.Result r = downloader.download(d.artifact(), early);
            early.downloaded(r);

            RecordedRequest req = server.takeRequest();
            assertThat(req.getHeader("Range")).isEqualTo("bytes=" + half + "-");
            assertThat(r.resumedFrom()).isEqualTo(half);
            assertThat(r.sha256()).isEqualTo(d.sha256());
            Files.write(part, new byte[0]); // the rename must not need the part file again
            Path dir = executor.install(d, part);
            assertThat(dir.resolve("share/model.bin")).hasBinaryContent(model);
            assertThat(dir.resolve("share/half-written.bin")).doesNotExist();
        }
    }
}
