package dev.roboflare.agent.executor.image;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * How this robot does A/B updates, from the agent's flags: the slots, the boot environment, what an image must
 * match (robot type, signing certificate), how to reboot and how to tell which slot booted.
 *
 * @param robotType         null: no robot type known, the check is skipped
 * @param cert              null: the robot has no image certificate, signatures are not checked
 * @param bootedSlotCommand null: root= of {@code cmdline}
 * @param bootIdFile        changes at every boot (/proc/sys/kernel/random/boot_id; tests point it at a file)
 */
public record ImageSettings(Slots slots, BootEnv env, String robotType, X509Certificate cert, String rebootCommand,
                            String bootedSlotCommand, Path cmdline, Path bootIdFile, List<Path> preserve,
                            String startupLine) {

    public static final Path DEFAULT_CERT = Path.of("/etc/opentrons-robot-signing-key.crt");
    public static final Path VERSION_JSON = Path.of("/etc/VERSION.json");

    /**
     * From the flags. {@code bootEnv} is uboot (then {@code envConfig} is fw_env.config, null for libubootenv's
     * default) or grub (then it is the grubenv file).
     */
    public static ImageSettings of(String slotVariable, String slotsSpec, String bootEnv, Path envConfig,
                                   Path certFile, String robotType, Path versionJson, String rebootCommand,
                                   String bootedSlotCommand, Path bootIdFile, List<Path> preserve)
            throws IOException {
        Slots slots = Slots.parse(slotVariable, slotsSpec);
        BootEnv env = switch (bootEnv) {
            case "uboot" -> new BootEnv.UBoot(envConfig);
            case "grub" -> new BootEnv.Grub(envConfig == null ? Path.of("/boot/grub/grubenv") : envConfig);
            default -> throw new IllegalArgumentException("--boot-env must be uboot or grub, not '" + bootEnv + "'");
        };
        String typeFrom = "--robot-type";
        if (robotType == null && Files.isRegularFile(versionJson)) {
            robotType = new ObjectMapper().readTree(versionJson.toFile()).path("robot_type").asText(null);
            typeFrom = versionJson.toString();
        }
        X509Certificate cert = null;
        if (Files.isRegularFile(certFile)) {
            try (InputStream in = Files.newInputStream(certFile)) {
                cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            } catch (CertificateException e) {
                throw new IOException("--image-cert " + certFile + " is not a PEM X.509 certificate: "
                        + e.getMessage());
            }
        }
        String line = "full_image_ab: " + slots + ", " + env + "; robot type "
                + (robotType == null ? "unknown (no --robot-type, no robot_type in " + versionJson
                        + "): the image's robot type is not checked" : "'" + robotType + "' from " + typeFrom)
                + "; " + (cert == null ? "no image certificate at " + certFile + ": image signatures are not checked"
                        : "image signatures checked against " + certFile);
        return new ImageSettings(slots, env, robotType, cert, rebootCommand, bootedSlotCommand,
                Path.of("/proc/cmdline"), bootIdFile, List.copyOf(preserve), line);
    }
}
