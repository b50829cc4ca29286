package dev.roboflare.protocol;

import java.time.Instant;

/**
 * Wire records of the operator API for trust: release signatures, robot token rotation and revocation, extra
 * operator tokens. Field names are snake_case on the wire (see {@link WireJson}).
 */
public final class TrustApi {
    private TrustApi() {
    }

    /** One robot token as an operator sees it: its id (the first 16 hex digits of its SHA-256), never the token. */
    public record RobotToken(String tokenId, Instant createdAt, Instant revokedAt) {
    }

    /** {@code POST /api/robots/{id}/revoke} body: one token ({@code tokenId}), or every token of the robot (null). */
    public record RevokeRobotTokens(String tokenId) {
    }

    /** {@code POST /api/operator-tokens} body; {@code readOnly} null means false. */
    public record CreateOperatorToken(String name, Boolean readOnly) {
    }

    /** Answer to {@code POST /api/operator-tokens}: the only time the token is shown. */
    public record OperatorTokenCreated(String name, boolean readOnly, String token) {
    }
}
