package dev.roboflare.agent;

import static dev.roboflare.agent.CrashResumeTest.read;
import static dev.roboflare.agent.CrashResumeTest.waitUntil;
import static dev.roboflare.agent.testing.SystemImages.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.roboflare.agent.state.StateStore;
import dev.roboflare.agent.testing.FakeControlPlane;
import dev.roboflare.agent.testing.SystemImages;
import dev.roboflare.protocol.ArtifactKind;
import dev.roboflare.protocol.DeploymentStatus;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * full_image_ab on real block devices: two loop devices (losetup) as the root slots, a U-Boot environment in a
 * plain file read and written by Debian's libubootenv-tool, images signed with an openssl key made here. The agent
 * runs as a real process; a reboot is simulated without a VM: --reboot-command records the request, the test
 * SIGKILLs the agent, boots the slot the environment names (the file --booted-slot-command prints, a new boot id)
 * and starts the agent again, as the new OS's systemd would. Needs root (losetup, mount).
 */
class WholeImageUpdateTest {
    static final String TOKEN = "robot-token-ab";
    /** What SystemImages.ext4 puts into each root (the written root is mounted to carry machine-id, so its bytes
     * differ from the image's afterwards; the agent's own read-back hash covers the bytes). */
    static final Path OS_FILE = Path.of("/etc/os-release-test");
    @TempDir
    Path dir;
    final List<Process> agents = new ArrayList<>();
    final List<String> loops = new ArrayList<>();
    FakeControlPlane cp;
    SystemImages images;
    String slot2;
    String slot3;
    int boots;
    String bootEnv = "uboot";

    @BeforeEach
    void robot() throws IOException {
        assertThat(run("id", "-u").strip()).as("these tests need root for losetup and mount").isEqualTo("0");
        slot2 = loop("slot2", 24);
        slot3 = loop("slot3", 24);
        ubootEnv(Map.of("ot2part", "2", "root_part", "2", "bootlimit", "3", "upgrade_available", "0"));
        Files.writeString(dir.resolve("fw_env.config"), dir.resolve("uboot.env") + " 0x0 0x4000\n");
        Files.writeString(dir.resolve("booted"), slot2 + "\n");
        Files.writeString(dir.resolve("boot_id"), "boot-0\n");
        Files.writeString(dir.resolve("machine-id"), "0123456789abcdef0123456789abcdef\n");
        images = new SystemImages(dir);
        images.signingKey("robot");
        cp = new FakeControlPlane(TOKEN);
    }

    @AfterEach
    void cleanUp() throws IOException {
        agents.forEach(Process::destroyForcibly);
        for (String l : loops) {
            run("losetup", "-d", l);
        }
        if (cp != null) {
            cp.close();
        }
    }

    @Test
    void ot2ImageIsAppliedOnlyAfterTheRobotBootedTheNewSlot() throws Exception {
        Path rootfs = images.ext4("ot2", 8, "new OS\n");
        String dep = cp.deploy("7.1.0", ArtifactKind.FULL_IMAGE_AB, "ot2-system.zip",
                images.ot2Zip(rootfs, "OT-2 Standard", "robot"), "{}");
        Path log1 = dir.resolve("agent-1.log");
        agent("ot2part", "OT-2 Standard", null, log1);
        waitUntil(() -> reboots() > 0);

        assertThat(cp.eventsFor(dep)).as("nothing reported before the new OS booted").isEmpty();
        assertThat(env("ot2part")).isEqualTo("3");
        assertThat(env("upgrade_available")).isEqualTo("1");
        assertThat(env("bootcount")).isEqualTo("0");
        assertThat(read(log1)).contains("step=reboot outcome=switched").contains("rebooting into slot 3");
        assertThat(fileInSlot(slot3, OS_FILE)).as("slot 3 holds the new root").isEqualTo("new OS\n");
        assertThat(fileInSlot(slot3, dir.resolve("machine-id"))).isEqualTo("0123456789abcdef0123456789abcdef\n");

        Path log2 = reboot(false, "ot2part", "OT-2 Standard");
        waitUntil(() -> !cp.eventsFor(dep).isEmpty());
        assertThat(cp.eventsFor(dep)).singleElement().extracting(FakeControlPlane.Received::status)
                .isEqualTo(DeploymentStatus.APPLIED);
        assertThat(env("ot2part")).isEqualTo("3");
        assertThat(env("upgrade_available")).isEqualTo("0");
        assertThat(read(log2)).contains("step=booted outcome=new-slot slot=3");
    }

    @Test
    void plainXzImageThroughGrubIsAppliedAfterTheReboot() throws Exception {
        bootEnv = "grub";
        run("grub-editenv", dir.resolve("grubenv").toString(), "create");
        run("grub-editenv", dir.resolve("grubenv").toString(), "set", "root_part=2", "bootlimit=3");
        Path rootfs = images.ext4("plain", 8, "plain OS\n");
        String dep = cp.deploy("9.0.0", ArtifactKind.FULL_IMAGE_AB, "plain.img.xz",
                Files.readAllBytes(images.xz(rootfs)), "{}");
        agent("root_part", "OT-3 Standard", null, dir.resolve("agent-1.log"));
        waitUntil(() -> reboots() > 0);
        assertThat(env("root_part")).isEqualTo("3");
        assertThat(env("upgrade_available")).isEqualTo("1");
        assertThat(read(dir.resolve("agent-1.log"))).contains("xz image written into slot 3");

        reboot(false, "root_part", "OT-3 Standard");
        waitUntil(() -> !cp.eventsFor(dep).isEmpty());
        assertThat(cp.eventsFor(dep)).singleElement().extracting(FakeControlPlane.Received::status)
                .isEqualTo(DeploymentStatus.APPLIED);
        assertThat(env("upgrade_available")).isEqualTo("0");
        assertThat(fileInSlot(slot3, OS_FILE)).isEqualTo("plain OS\n");
    }

    @Test
    void flexImageThatDoesNotBootIsRolledBackFromTheOldSlot() throws Exception {
        Path rootfs = images.ext4("flex", 8, "new Flex OS\n");
        String dep = cp.deploy("8.0.0", ArtifactKind.FULL_IMAGE_AB, "ot3-system.zip",
                images.flexZip(rootfs, "OT-3 Standard", "robot"), "{}");
        agent("root_part", "OT-3 Standard", null, dir.resolve("agent-1.log"));
        waitUntil(() -> reboots() > 0);
        assertThat(env("root_part")).isEqualTo("3");
        assertThat(fileInSlot(slot3, OS_FILE)).as("systemfs.xz decoded into slot 3").isEqualTo("new Flex OS\n");

        Path log2 = reboot(true, "root_part", "OT-3 Standard"); // the bootloader fell back to slot 2
        waitUntil(() -> !cp.eventsFor(dep).isEmpty());
        assertThat(cp.eventsFor(dep)).singleElement().satisfies(e -> {
            assertThat(e.status()).isEqualTo(DeploymentStatus.ROLLED_BACK);
            assertThat(e.detail()).startsWith("the new OS did not boot: slot 3 was tried and the bootloader went "
                    + "back to slot 2");
        });
        assertThat(env("root_part")).isEqualTo("2");
        assertThat(env("upgrade_available")).isEqualTo("0");
        assertThat(read(log2)).contains("step=booted outcome=fell-back");
    }

    @Test
    void anImageForAnotherRobotTypeFailsAndWritesNothing() throws Exception {
        String dep = cp.deploy("8.0.0", ArtifactKind.FULL_IMAGE_AB, "ot3-system.zip",
                images.flexZip(images.ext4("flex", 8, "x"), "OT-3 Standard", "robot"), "{}");
        agent("ot2part", "OT-2 Standard", null, dir.resolve("agent-1.log"));
        waitUntil(() -> !cp.eventsFor(dep).isEmpty());
        assertThat(cp.eventsFor(dep)).singleElement().satisfies(e -> {
            assertThat(e.status()).isEqualTo(DeploymentStatus.FAILED);
            assertThat(e.detail()).contains("robot type 'OT-3 Standard' but this robot is 'OT-2 Standard'")
                    .contains("nothing was written");
        });
        assertThat(slotIsBlank(slot3)).isTrue();
        assertThat(env("ot2part")).isEqualTo("2");
        assertThat(reboots()).isZero();
    }

    @Test
    void anImageLargerThanTheInactiveSlotFailsBeforeTheDownload() throws Exception {
        String dep = cp.deploy("9.1.0", ArtifactKind.FULL_IMAGE_AB, "big.img",
                Files.readAllBytes(images.ext4("big", 30, "too big\n")), "{}");
        Path log = dir.resolve("agent-1.log");
        agent("root_part", "OT-3 Standard", null, log);
        waitUntil(() -> !cp.eventsFor(dep).isEmpty());
        assertThat(cp.eventsFor(dep)).singleElement().satisfies(e -> {
            assertThat(e.status()).isEqualTo(DeploymentStatus.FAILED);
            assertThat(e.detail()).contains("is larger than the inactive slot 3 " + slot3)
                    .contains("nothing was downloaded");
        });
        assertThat(read(log)).doesNotContain("step=download");
        assertThat(slotIsBlank(slot3)).isTrue();
        assertThat(reboots()).isZero();
    }

    @Test
    void anImageSignedByAnotherKeyFailsAndWritesNothing() throws Exception {
        images.signingKey("stranger");
        String dep = cp.deploy("7.1.0", ArtifactKind.FULL_IMAGE_AB, "ot2-system.zip",
                images.ot2Zip(images.ext4("ot2", 8, "x"), "OT-2 Standard", "stranger"), "{}");
        agent("ot2part", "OT-2 Standard", null, dir.resolve("agent-1.log"));
        waitUntil(() -> !cp.eventsFor(dep).isEmpty());
        assertThat(cp.eventsFor(dep)).singleElement().satisfies(e -> {
            assertThat(e.status()).isEqualTo(DeploymentStatus.FAILED);
            assertThat(e.detail()).contains("rootfs.ext4.hash.sig is not a signature of rootfs.ext4.hash");
        });
        assertThat(slotIsBlank(slot3)).isTrue();
        assertThat(reboots()).isZero();
    }

    @Test
    void anAppThatExitsOnTheNewOsRevertsRebootsAndIsReportedFromTheOldSlot() throws Exception {
        Path crash = dir.resolve("new-os-breaks-the-app");
        String app = cp.deploy("1.0.0", ArtifactKind.APP_TARBALL, "app", dev.roboflare.agent.testing.Tarballs.app(
                "if [ -e " + crash + " ]; then echo 'cannot open /dev/ot_module'; exit 3; fi; exec sleep 300"),
                "{\"entrypoint\": [\"bin/app\"]}");
        agent("ot2part", "OT-2 Standard", null, dir.resolve("agent-0.log"));
        waitUntil(() -> !cp.eventsFor(app).isEmpty());
        String dep = cp.deploy("7.1.0", ArtifactKind.FULL_IMAGE_AB, "ot2-system.zip",
                images.ot2Zip(images.ext4("ot2", 8, "new OS\n"), "OT-2 Standard", "robot"), "{}");
        waitUntil(() -> reboots() > 0);

        stopApp(); // a reboot ends the app too; on the new OS it fails
        Files.writeString(crash, "");
        Path onNew = reboot(false, "ot2part", "OT-2 Standard");
        waitUntil(() -> reboots() > 0);
        assertThat(cp.eventsFor(dep)).as("reported from the old slot, not before").isEmpty();
        assertThat(env("ot2part")).isEqualTo("2");
        assertThat(env("upgrade_available")).isEqualTo("0");
        assertThat(read(onNew)).contains("step=watch outcome=exited").contains("step=revert outcome=rebooting");

        stopApp();
        Files.delete(crash);
        Path onOld = reboot(false, "ot2part", "OT-2 Standard");
        waitUntil(() -> !cp.eventsFor(dep).isEmpty());
        assertThat(cp.eventsFor(dep)).singleElement().satisfies(e -> {
            assertThat(e.status()).isEqualTo(DeploymentStatus.ROLLED_BACK);
            assertThat(e.detail()).startsWith("release 7.1.0 exited with code 3").contains("rolled back to the "
                    + "previous OS").contains("cannot open /dev/ot_module");
        });
        assertThat(read(onOld)).contains("step=revert outcome=ok");
        stopApp();
    }

    void stopApp() throws IOException {
        var s = new StateStore(dir.resolve("state")).load();
        if (s.app() != null) {
            new dev.roboflare.agent.launcher.DetachedProcessLauncher(dir.resolve("state"),
                    java.time.Duration.ofSeconds(1)).stop(s.app());
        }
    }

    /** SIGKILL at the write, at the switch (before the environment write) and between that write and the reboot. */
    @ParameterizedTest
    @ValueSource(strings = {"write", "reboot", "booted"})
    void killedAtAPhaseItResumesAndIsAppliedAfterTheReboot(String phase) throws Exception {
        Path rootfs = images.ext4("ot2", 8, "new OS\n");
        String dep = cp.deploy("7.1.0", ArtifactKind.FULL_IMAGE_AB, "ot2-system.zip",
                images.ot2Zip(rootfs, "OT-2 Standard", "robot"), "{}");
        Path log1 = dir.resolve("agent-1.log");
        Process first = agent("ot2part", "OT-2 Standard", phase, log1);
        waitUntil(() -> read(log1).contains("<5>test hook: paused at " + phase));
        first.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        assertThat(new StateStore(dir.resolve("state")).load().inFlight().phase()).isEqualTo(phase);
        if (phase.equals("write")) { // a torn write: half the slot already holds other bytes
            try (RandomAccessFile f = new RandomAccessFile(slot3, "rw")) {
                byte[] junk = new byte[4 << 20];
                Arrays.fill(junk, (byte) 0x5a);
                f.write(junk);
            }
        }
        assertThat(env("ot2part")).isEqualTo(phase.equals("booted") ? "3" : "2");
        assertThat(reboots()).isZero();

        Path log2 = dir.resolve("agent-2.log");
        agent("ot2part", "OT-2 Standard", null, log2);
        waitUntil(() -> reboots() > 0);
        assertThat(read(log2)).contains("step=" + phase + " outcome=resumed");
        assertThat(cp.eventsFor(dep)).isEmpty();
        assertThat(fileInSlot(slot3, OS_FILE)).isEqualTo("new OS\n");

        reboot(false, "ot2part", "OT-2 Standard");
        waitUntil(() -> !cp.eventsFor(dep).isEmpty());
        assertThat(cp.eventsFor(dep)).singleElement().extracting(FakeControlPlane.Received::status)
                .isEqualTo(DeploymentStatus.APPLIED);
        assertThat(env("ot2part")).isEqualTo("3");
        assertThat(env("upgrade_available")).isEqualTo("0");
    }

    /**
     * What a reboot does here: the agent dies, a new boot id, and the slot the environment names boots, unless
     * {@code fallBack} (the new OS did not come up and the bootloader went back to slot 2). Then the agent starts.
     */
    Path reboot(boolean fallBack, String variable, String robotType) throws Exception {
        for (Process p : agents) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        boots++;
        Files.deleteIfExists(dir.resolve("reboots")); // the agent asks again at each poll until it is stopped
        Files.writeString(dir.resolve("boot_id"), "boot-" + boots + "\n");
        Files.writeString(dir.resolve("booted"), (fallBack || env(variable).equals("2") ? slot2 : slot3) + "\n");
        Path log = dir.resolve("agent-after-boot-" + boots + ".log");
        agent(variable, robotType, null, log);
        return log;
    }

    Process agent(String variable, String robotType, String pauseAt, Path out) throws IOException {
        Files.writeString(dir.resolve("token"), TOKEN + "\n");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "--control-plane", cp.url(), "--token-file", dir.resolve("token").toString(),
                "--state-dir", dir.resolve("state").toString(), "--poll-interval", "100ms", "--watch-window", "1s",
                "--max-backoff", "500ms", "--slot-variable", variable, "--slots", "2=" + slot2 + ",3=" + slot3,
                "--boot-env", bootEnv, "--boot-env-config",
                dir.resolve(bootEnv.equals("grub") ? "grubenv" : "fw_env.config").toString(),
                "--image-cert", dir.resolve("robot.crt").toString(), "--robot-type", robotType,
                "--reboot-command", "echo reboot >> " + dir.resolve("reboots"),
                "--booted-slot-command", "cat " + dir.resolve("booted"),
                "--boot-id-file", dir.resolve("boot_id").toString(),
                "--preserve-file", dir.resolve("machine-id").toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()));
        if (pauseAt != null) {
            pb.environment().put("ROBOFLARE_AGENT_PAUSE_AT", pauseAt);
        }
        Process p = pb.start();
        agents.add(p);
        return p;
    }

    long reboots() {
        return read(dir.resolve("reboots")).lines().count();
    }

    String env(String name) throws IOException {
        if (bootEnv.equals("grub")) {
            return run("grub-editenv", dir.resolve("grubenv").toString(), "list").lines()
                    .filter(l -> l.startsWith(name + "=")).map(l -> l.substring(name.length() + 1)).findFirst()
                    .orElse("");
        }
        return run("fw_printenv", "-c", dir.resolve("fw_env.config").toString(), "-n", name).strip();
    }

    /** A U-Boot environment file as U-Boot writes it: CRC32 (little endian), then NAME=VALUE\0 ... \0. */
    void ubootEnv(Map<String, String> vars) throws IOException {
        ByteBuffer data = ByteBuffer.allocate(0x4000 - 4);
        vars.forEach((k, v) -> data.put((k + "=" + v + "\0").getBytes(StandardCharsets.US_ASCII)));
        CRC32 crc = new CRC32();
        crc.update(data.array());
        ByteBuffer file = ByteBuffer.allocate(0x4000).order(ByteOrder.LITTLE_ENDIAN);
        file.putInt((int) crc.getValue()).put(data.array());
        Files.write(dir.resolve("uboot.env"), file.array());
    }

    String loop(String name, int mib) throws IOException {
        Path f = dir.resolve(name + ".img");
        run("truncate", "-s", mib + "M", f.toString());
        String dev = run("losetup", "-f", "--show", f.toString()).strip();
        loops.add(dev);
        return dev;
    }

    static boolean slotIsBlank(String device) throws IOException {
        try (var in = Files.newInputStream(Path.of(device))) {
            byte[] head = in.readNBytes(1 << 20);
            for (byte b : head) {
                if (b != 0) {
                    return false;
                }
            }
            return true;
        }
    }

    String fileInSlot(String device, Path file) throws IOException {
        Path mnt = Files.createDirectories(dir.resolve("mnt"));
        run("mount", "-o", "ro", device, mnt.toString());
        try {
            return Files.readString(mnt.resolve(file.toString().substring(1)));
        } finally {
            run("umount", mnt.toString());
        }
    }
}
