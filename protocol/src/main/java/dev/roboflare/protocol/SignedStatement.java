package dev.roboflare.protocol;

/**
 * A release statement with its offline Ed25519 signature, as the control plane stores and serves it (it never sees
 * the private key). {@code statement} is base64 of the exact UTF-8 JSON bytes of a {@link ReleaseStatement} that
 * were signed, so nobody has to re-serialize it the same way; {@code signature} is base64 of the 64-byte Ed25519
 * signature over those bytes; {@code keyId} names the public key (see {@link ReleaseKeys#keyId}).
 */
public record SignedStatement(String statement, String signature, String keyId) {
}
