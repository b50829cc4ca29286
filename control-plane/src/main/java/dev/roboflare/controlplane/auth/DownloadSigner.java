package dev.roboflare.controlplane.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs artifact download URLs: {@code sig = hex(HMAC-SHA256(key, "<artifact id>:<expires epoch seconds>"))}.
 * The key lives in DATA/download-signing-key (0600), so URLs stay valid across restarts.
 */
public final class DownloadSigner {
    public static final String FILE_NAME = "download-signing-key";

    private final SecretKeySpec key;

    public DownloadSigner(String secret) {
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    public static DownloadSigner loadOrCreate(Path dataDir) throws IOException {
        return new DownloadSigner(SecretFiles.readOrCreate(dataDir.resolve(FILE_NAME)).value());
    }

    public String sign(String artifactId, long expiresEpochSeconds) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            byte[] sig = mac.doFinal((artifactId + ":" + expiresEpochSeconds).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sig);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JVM has HmacSHA256", e);
        }
    }

    public Verdict verify(String artifactId, long expiresEpochSeconds, String signature, Instant now) {
        String expected = sign(artifactId, expiresEpochSeconds);
        boolean same = signature != null && MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.US_ASCII), signature.getBytes(StandardCharsets.US_ASCII));
        if (!same) {
            return Verdict.BAD_SIGNATURE;
        }
        return now.getEpochSecond() > expiresEpochSeconds ? Verdict.EXPIRED : Verdict.VALID;
    }

    public enum Verdict { VALID, BAD_SIGNATURE, EXPIRED }
}
