package dev.roboflare.agent.executor.image;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roboflare.agent.executor.RejectedArtifactException;
import dev.roboflare.protocol.Sha256;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.tukaani.xz.XZInputStream;

/**
 * A downloaded OS image in one of the forms Opentrons publishes, or a plain one:
 * <ul>
 *   <li>OT-2 {@code ot2-system.zip}: rootfs.ext4, rootfs.ext4.hash (SHA-256 hex of rootfs.ext4), its .sig,
 *       VERSION.json (robot_type "OT-2 Standard");</li>
 *   <li>Flex {@code ot3-system.zip} / {@code system-update.zip}: systemfs.xz, systemfs.xz.sha256 (of the compressed
 *       file), systemfs.xz.hash.sig, VERSION.json ("OT-3 Standard");</li>
 *   <li>a raw image, or an .xz of one (its SHA-256 is the artifact row's, checked at verify).</li>
 * </ul>
 * The .sig is RSA PKCS#1 v1.5 over SHA-256 of the hash file's bytes.
 */
final class SystemImage {
    private static final byte[] ZIP = {'P', 'K', 3, 4};
    private static final byte[] XZ = {(byte) 0xFD, '7', 'z', 'X', 'Z', 0};

    private final Path file;
    private final String member;   // the image inside the zip, null for a plain image
    private final boolean xz;

    private SystemImage(Path file, String member, boolean xz) {
        this.file = file;
        this.member = member;
        this.xz = xz;
    }

    /** Recognises the form by its first bytes and, for a zip, by its members. */
    static SystemImage open(Path file) throws IOException, RejectedArtifactException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(6);
        }
        if (startsWith(head, ZIP)) {
            try (ZipFile zip = new ZipFile(file.toFile())) {
                if (zip.getEntry("rootfs.ext4") != null) {
                    return new SystemImage(file, "rootfs.ext4", false);
                }
                if (zip.getEntry("systemfs.xz") != null) {
                    return new SystemImage(file, "systemfs.xz", true);
                }
            }
            throw new RejectedArtifactException("the zip holds neither rootfs.ext4 (ot2-system.zip) nor systemfs.xz "
                    + "(ot3-system.zip / system-update.zip); nothing was written");
        }
        return new SystemImage(file, null, startsWith(head, XZ));
    }

    /** What the image is, for the log line. */
    String form() {
        if (member == null) {
            return xz ? "xz image" : "raw image";
        }
        return member.equals("rootfs.ext4") ? "ot2-system.zip" : "Flex system update zip";
    }

    /** The uncompressed size when it is known before writing (raw forms), else -1. */
    long knownSize() throws IOException {
        if (xz) {
            return -1;
        }
        if (member == null) {
            return Files.size(file);
        }
        try (ZipFile zip = new ZipFile(file.toFile())) {
            return zip.getEntry(member).getSize();
        }
    }

    /**
     * For the Opentrons zips: robot_type, hash and signature; any mismatch is a rejection (nothing is written).
     * {@code robotType} or {@code cert} null: that check is skipped (said at start-up).
     */
    void check(String robotType, X509Certificate cert) throws IOException, RejectedArtifactException {
        if (member == null) {
            return;
        }
        String hashName = member.equals("rootfs.ext4") ? "rootfs.ext4.hash" : "systemfs.xz.sha256";
        String sigName = member + ".hash.sig";
        try (ZipFile zip = new ZipFile(file.toFile())) {
            byte[] version = entry(zip, "VERSION.json");
            byte[] hashFile = entry(zip, hashName);
            byte[] sig = entry(zip, sigName);
            String type = new ObjectMapper().readTree(version).path("robot_type").asText(null);
            if (robotType != null && !robotType.equals(type)) {
                throw new RejectedArtifactException("this image is for robot type '" + type + "' but this robot is '"
                        + robotType + "' (VERSION.json robot_type); nothing was written");
            }
            String expected = new String(hashFile, StandardCharsets.US_ASCII).strip().split("\\s+")[0]
                    .toLowerCase(java.util.Locale.ROOT);
            String actual = sha256(zip, zip.getEntry(member));
            if (!actual.equals(expected)) {
                throw new RejectedArtifactException(member + " has sha256 " + actual + " but " + hashName + " says "
                        + expected + "; the image is damaged, nothing was written");
            }
            if (cert != null && !signedBy(hashFile, sig, cert)) {
                throw new RejectedArtifactException(sigName + " is not a signature of " + hashName + " by the robot's "
                        + "image certificate (" + cert.getSubjectX500Principal().getName() + "); nothing was written");
            }
        }
    }

    /** The image's bytes as they go onto the slot (xz decoded on the fly). The caller closes it. */
    InputStream content() throws IOException {
        InputStream raw;
        if (member == null) {
            raw = Files.newInputStream(file);
        } else {
            ZipFile zip = new ZipFile(file.toFile());
            InputStream in = zip.getInputStream(zip.getEntry(member));
            raw = new java.io.FilterInputStream(in) {
                @Override
                public void close() throws IOException {
                    super.close();
                    zip.close();
                }
            };
        }
        raw = new BufferedInputStream(raw, 1 << 16);
        return xz ? new XZInputStream(raw) : raw;
    }

    private static byte[] entry(ZipFile zip, String name) throws IOException, RejectedArtifactException {
        ZipEntry e = zip.getEntry(name);
        if (e == null) {
            throw new RejectedArtifactException("the system zip has no " + name + "; nothing was written");
        }
        try (InputStream in = zip.getInputStream(e)) {
            return in.readNBytes(1 << 20);
        }
    }

    private static String sha256(ZipFile zip, ZipEntry e) throws IOException {
        MessageDigest md = Sha256.newDigest();
        try (InputStream in = zip.getInputStream(e)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return Sha256.hex(md);
    }

    private static boolean signedBy(byte[] data, byte[] sig, X509Certificate cert) throws IOException {
        try {
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initVerify(cert.getPublicKey());
            s.update(data);
            return s.verify(sig);
        } catch (java.security.SignatureException e) {
            return false;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot check the image signature: " + e.getMessage());
        }
    }

    private static boolean startsWith(byte[] head, byte[] magic) {
        if (head.length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if (head[i] != magic[i]) {
                return false;
            }
        }
        return true;
    }
}
