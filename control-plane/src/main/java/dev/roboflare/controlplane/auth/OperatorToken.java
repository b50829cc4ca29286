package dev.roboflare.controlplane.auth;

import java.io.IOException;
import java.nio.file.Path;
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

    /** Only the hash is kept: requests are matched by the hash of their bearer token (OperatorTokens). */
    private final String sha256;

    private OperatorToken(String token) {
        this.sha256 = dev.roboflare.protocol.Sha256.hex(token);
    }

    public static OperatorToken loadOrCreate(Path dataDir) throws IOException {
        Path file = dataDir.resolve(FILE_NAME).toAbsolutePath().normalize();
        SecretFiles.Loaded loaded = SecretFiles.readOrCreate(file);
        log.info("operator token {} {} (mode 0600); send it as 'Authorization: Bearer <token>'",
                loaded.created() ? "written to" : "read from", file);
        return new OperatorToken(loaded.value());
    }

    /** The token's SHA-256 (hex): what requests and status-page sessions are matched by. */
    public String sha256() {
        return sha256;
    }
}
