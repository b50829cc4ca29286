package dev.roboflare.controlplane.auth;

import dev.roboflare.protocol.Sha256;

/** Robot tokens are shown once at creation; the database keeps only their SHA-256. */
public final class RobotTokens {
    private RobotTokens() {
    }

    public static String newToken() {
        return SecretFiles.randomToken();
    }

    public static String fingerprint(String token) {
        return Sha256.hex(token);
    }
}
