package dev.roboflare.controlplane.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bootstrap operator token, kept in DATA/operator-token (0600): the full-access admin of the built-in
 * organisation 'default', the only token that may create organisations and issue or revoke operator tokens.
 * Its value is never logged.
 */
public final class OperatorToken {
    private static final Logger log = LoggerFactory.getLogger(OperatorToken.class);
    public static final String FILE_NAME = "operator-token";

    private final byte[] token;

    private OperatorToken(String token) {
        this.token = token.getBytes(StandardCharsets.UTF_8);
    }

    public static OperatorToken loadOrCreate(Path dataDir) throws IOException {
        Path file = dataDir.resolve(FILE_NAME).toAbsolutePath().normalize();
        SecretFiles.Loaded loaded = SecretFiles.readOrCreate(file);
        log.info("operator token {} {} (mode 0600); send it as 'Authorization: Bearer <token>'",
                loaded.created() ? "written to" : "read from", file);
        return new OperatorToken(loaded.value());
    }

    /**
     * What Idempotency-Keys are scoped to: a short hash of the token (never the token itself). A rotated token
     * starts a fresh key space; every token acts in one organisation, so keys never cross organisations either.
     */
    public String scope() {
        return "op:" + sha256().substring(0, 16);
    }

    /** The token's SHA-256 (hex): what a status-page session remembers instead of the token. */
    public String sha256() {
        return dev.roboflare.controlplane.Sha256.hex(new String(token, StandardCharsets.UTF_8));
    }

    /** Constant-time, so response timing does not leak how much of a guess was right. */
    public boolean matches(String candidate) {
        return candidate != null
                && MessageDigest.isEqual(token, candidate.getBytes(StandardCharsets.UTF_8));
    }
}
