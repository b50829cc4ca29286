package dev.roboflare.controlplane.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Secrets kept as one-line files in the data dir, readable only by the server's user (0600). */
final class SecretFiles {
    private static final Logger log = LoggerFactory.getLogger(SecretFiles.class);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final SecureRandom RANDOM = new SecureRandom();

    private SecretFiles() {
    }

    /** 32 random bytes, URL-safe base64 without padding (43 characters). */
    static String randomToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Reads the secret, or creates it on first start; the boolean says which happened. */
    static Loaded readOrCreate(Path file) throws IOException {
        if (Files.exists(file)) {
            tightenIfLoose(file);
            String value = Files.readString(file, StandardCharsets.UTF_8).trim();
            if (value.isEmpty()) {
                throw new IOException(file + " is empty; delete it to have a new secret generated");
            }
            return new Loaded(value, false);
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        // Created with 0600 from the start and moved into place, so the secret is never readable by others.
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        String value = randomToken();
        Files.writeString(tmp, value + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        return new Loaded(value, true);
    }

    private static void tightenIfLoose(Path file) throws IOException {
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
        if (!perms.equals(OWNER_ONLY)) {
            log.warn("{} had mode {}; setting it to 0600", file, PosixFilePermissions.toString(perms));
            Files.setPosixFilePermissions(file, OWNER_ONLY);
        }
    }

    record Loaded(String value, boolean created) {
    }
}
