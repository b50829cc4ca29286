package dev.roboflare.protocol;

import java.time.Instant;

/**
 * Wire records of the operator API for trust: release signatures, robot token rotation and revocation, extra
 * operator tokens and organisations. Field names are snake_case on the wire (see {@link WireJson}).
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

    /**
     * {@code POST /api/operator-tokens} body (admin token only); {@code readOnly} null means false, {@code org} null
     * means the built-in organisation {@code default}.
     */
    public record CreateOperatorToken(String name, Boolean readOnly, String org) {
    }

    /** Answer to {@code POST /api/operator-tokens}: the only time the token is shown. */
    public record OperatorTokenCreated(String tokenId, String name, String org, boolean readOnly, String token) {
    }

    /**
     * One extra operator token as {@code GET /api/operator-tokens} lists it: its id (the first 16 hex digits of its
     * SHA-256), never the token.
     */
    public record OperatorToken(String tokenId, String name, String org, boolean readOnly, Instant createdAt,
                                Instant revokedAt) {
    }

    /**
     * {@code POST /api/orgs} body (admin token only). {@code quota}: the most artifact bytes the organisation may
     * store, as a size such as "50G" or a number of bytes; null or absent: no quota.
     */
    public record CreateOrganisation(String name, String quota) {
        public CreateOrganisation(String name) {
            this(name, null);
        }
    }

    /** {@code PUT /api/orgs/{name}/quota} body (admin token only): a size such as "50G", or null for no quota. */
    public record SetQuota(String quota) {
    }

    /**
     * An organisation: every artifact, release, robot, fleet and deployment belongs to exactly one.
     * {@code quotaBytes} null: no quota; {@code usedBytes}: what its artifacts add up to.
     */
    public record Organisation(String name, Instant createdAt, Long quotaBytes, long usedBytes) {
    }
}
