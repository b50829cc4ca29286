package dev.roboflare.agent.executor.tarball;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roboflare.agent.executor.RejectedArtifactException;
import dev.roboflare.agent.testing.Tarballs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TarballExecutorTest {
    @TempDir
    Path root;
    Path state;
    TarballExecutor executor;

    @BeforeEach
    void setUp() throws IOException {
        state = Files.createDirectories(root.resolve("state"));
        executor = new TarballExecutor(state);
    }

    private Path artifact(byte[] bytes) throws IOException {
        return Files.write(root.resolve("artifact-" + UUID.randomUUID()), bytes);
    }

    private List<String> everything() throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.map(p -> root.relativize(p).toString()).filter(p -> !p.startsWith("artifact-")).sorted()
                    .toList();
        }
    }

    private void assertRefused(byte[] tarball, String messagePart) throws IOException {
        List<String> before = everything();
        Path a = artifact(tarball);
        assertThatThrownBy(() -> executor.install("rel-1", a))
                .isInstanceOf(RejectedArtifactException.class)
                .hasMessageContaining(messagePart);
        assertThat(everything()).as("nothing was written anywhere, not even a release dir")
                .containsExactlyElementsOf(withReleasesDir(before));
        assertThat(executor.releaseDir("rel-1")).doesNotExist();
    }

    private static List<String> withReleasesDir(List<String> before) {
        // install creates the (empty) STATE/releases directory; nothing else may appear
        return Stream.concat(before.stream(), Stream.of("state/releases")).distinct().sorted().toList();
    }

    @Test
    void refusesDotDotEntryAndNamesIt() throws IOException {
        assertRefused(Tarballs.gzip().file("bin/app", 0755, "ok").file("../x", 0644, "evil").bytes(),
                "tarball entry '../x' escapes the release directory; rebuild the tarball with relative paths");
        assertThat(state.resolve("releases/x")).doesNotExist();
    }

    @Test
    void refusesAbsolutePath() throws IOException {
        String outside = "/tmp/roboflare-escape-" + UUID.randomUUID();
        assertRefused(Tarballs.plain().file(outside, 0644, "evil").bytes(),
                "tarball entry '" + outside + "' is an absolute path");
        assertThat(Path.of(outside)).doesNotExist();
    }

    @Test
    void refusesSymlinkToRoot() throws IOException {
        assertRefused(Tarballs.gzip().symlink("rootfs", "/").file("bin/app", 0755, "x").bytes(),
                "tarball entry 'rootfs' is a symlink to '/', outside the release directory");
    }

    @Test
    void refusesSymlinkThatClimbsOut() throws IOException {
        assertRefused(Tarballs.gzip().dir("a").symlink("a/b", "../../b").bytes(),
                "tarball entry 'a/b' is a symlink to '../../b', which escapes the release directory");
    }

    @Test
    void refusesHardLinkOutOfTheTree() throws IOException {
        assertRefused(Tarballs.gzip().hardlink("passwd", "../../../../etc/passwd").bytes(),
                "tarball entry 'passwd' is a hard link to '../../../../etc/passwd', which escapes");
        assertRefused(Tarballs.gzip().hardlink("passwd", "/etc/passwd").bytes(),
                "tarball entry 'passwd' is a hard link to '/etc/passwd'");
    }

    @Test
    void refusesWritingThroughAnInTreeSymlink() throws IOException {
        assertRefused(Tarballs.gzip().dir("real").symlink("alias", "real").file("alias/f", 0644, "x").bytes(),
                "would be written through the symlink 'alias'");
    }

    @Test
    void refusesALinkChainThatEscapes() throws IOException {
        // each link looks harmless on its own; followed by the kernel, 'up' lands two levels above the release
        assertRefused(Tarballs.gzip().dir("d1/d2").symlink("d1/d2/s", "../..").symlink("up", "d1/d2/s/../..").bytes(),
                "escapes");
    }

    @Test
    void goodTarballKeepsModesAndLinksAndIsRenamedIntoPlace() throws Exception {
        byte[] tgz = Tarballs.gzip().dir("bin").file("bin/app", 0755, "#!/bin/sh\necho hi\n")
                .file("etc/config.txt", 0640, "k=v\n").symlink("bin/run", "app").hardlink("etc/copy.txt",
                        "etc/config.txt").bytes();
        Path dir = executor.install("rel-1", artifact(tgz));
        assertThat(dir).isEqualTo(state.resolve("releases/rel-1"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("bin/app"))))
                .isEqualTo("rwxr-xr-x");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("etc/config.txt"))))
                .isEqualTo("rw-r-----");
        assertThat(Files.readSymbolicLink(dir.resolve("bin/run"))).isEqualTo(Path.of("app"));
        assertThat(dir.resolve("etc/copy.txt")).hasContent("k=v");
        assertThat(Files.isExecutable(dir.resolve("bin/app"))).isTrue();
        try (Stream<Path> s = Files.list(state.resolve("releases"))) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("rel-1"); // no temp dir left
        }
    }

    @Test
    void plainTarWorksToo() throws Exception {
        Path dir = executor.install("rel-2", artifact(Tarballs.plain().file("bin/app", 0755, "x").bytes()));
        assertThat(dir.resolve("bin/app")).hasContent("x");
    }

    @Test
    void garbageIsRefusedNotACrash() throws IOException {
        Path a = artifact("this is not a tarball at all, just some text that is long enough".repeat(20).getBytes());
        assertThatThrownBy(() -> executor.install("rel-3", a)).isInstanceOf(RejectedArtifactException.class);
        assertThat(executor.releaseDir("rel-3")).doesNotExist();
    }

    @Test
    void currentIsSwappedAtomicallyAndNeverDangles() throws Exception {
        Path a = executor.install("a", artifact(Tarballs.gzip().file("bin/app", 0755, "A").bytes()));
        Path b = executor.install("b", artifact(Tarballs.gzip().file("bin/app", 0755, "B").bytes()));
        Path current = state.resolve("current");
        executor.activate(a);
        assertThat(current.resolve("bin/app")).hasContent("A");
        executor.activate(b);
        assertThat(Files.isSymbolicLink(current)).isTrue();
        assertThat(Files.readSymbolicLink(current)).isEqualTo(Path.of("releases/b"));
        assertThat(current.resolve("bin/app")).hasContent("B");
        try (Stream<Path> s = Files.list(state)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("current", "releases");
        }
        executor.activate(null);
        assertThat(Files.exists(current, LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(b).exists();
    }
}
