package dev.roboflare.agent.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * OS images for the A/B tests, made with the real tools at test time: an ext4 root (mkfs.ext4 -d), an RSA key and
 * certificate (openssl), the .hash.sig (openssl dgst -sha256 -sign: PKCS#1 v1.5), .xz (xz), and zips laid out like
 * Opentrons' ot2-system.zip and ot3-system.zip.
 */
public final class SystemImages {
    private final Path dir;

    public SystemImages(Path dir) {
        this.dir = dir;
    }

    /** A self-signed certificate and its key: {name}.crt, {name}.key. Returns the certificate. */
    public Path signingKey(String name) throws IOException {
        run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", dir.resolve(name + ".key").toString(),
                "-out", dir.resolve(name + ".crt").toString(), "-subj", "/CN=" + name, "-days", "2");
        return dir.resolve(name + ".crt");
    }

    /** An ext4 file system of {@code mib} MiB holding /etc/os-release-test with {@code text}. */
    public Path ext4(String name, int mib, String text) throws IOException {
        Path tree = Files.createDirectories(dir.resolve(name + "-tree/etc"));
        Files.writeString(tree.resolve("os-release-test"), text);
        Path img = dir.resolve(name + ".ext4");
        run("truncate", "-s", mib + "M", img.toString());
        run("mkfs.ext4", "-q", "-F", "-d", tree.getParent().toString(), img.toString());
        return img;
    }

    /** ot2-system.zip: rootfs.ext4, rootfs.ext4.hash, rootfs.ext4.hash.sig (by {@code key}), VERSION.json. */
    public byte[] ot2Zip(Path rootfs, String robotType, String key) throws IOException {
        return zip("rootfs.ext4", rootfs, "rootfs.ext4.hash", robotType, key);
    }

    /** ot3-system.zip: systemfs.xz (xz of {@code rootfs}), systemfs.xz.sha256, systemfs.xz.hash.sig, VERSION.json. */
    public byte[] flexZip(Path rootfs, String robotType, String key) throws IOException {
        return zip("systemfs.xz", xz(rootfs), "systemfs.xz.sha256", robotType, key);
    }

    public Path xz(Path file) throws IOException {
        run("xz", "-k", "-f", "-T1", file.toString());
        return Path.of(file + ".xz");
    }

    private byte[] zip(String imageName, Path image, String hashName, String robotType, String key)
            throws IOException {
        Path hash = dir.resolve(hashName);
        Files.writeString(hash, FakeControlPlane.sha256(Files.readAllBytes(image)) + "\n");
        Path sig = dir.resolve(imageName + ".hash.sig");
        run("openssl", "dgst", "-sha256", "-sign", dir.resolve(key + ".key").toString(), "-out", sig.toString(),
                hash.toString());
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("VERSION.json", ("{\"opentrons_api_version\": \"7.0.0\", \"robot_type\": \"" + robotType
                + "\", \"buildroot_version\": \"test\"}").getBytes(StandardCharsets.UTF_8));
        entries.put(imageName, Files.readAllBytes(image));
        entries.put(hashName, Files.readAllBytes(hash));
        entries.put(imageName + ".hash.sig", Files.readAllBytes(sig));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bytes)) {
            for (var e : entries.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue());
                z.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    /** Runs a tool and returns its stdout; fails the test with its output when it fails. */
    public static String run(String... command) throws IOException {
        Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (p.waitFor() != 0) {
                throw new IOException(String.join(" ", command) + " exited " + p.exitValue() + ": " + out);
            }
        } catch (InterruptedException e) {
            throw new IOException(e);
        }
        return out;
    }
}
