package dev.roboflare.controlplane.trust;

import dev.roboflare.controlplane.LogText;
import dev.roboflare.controlplane.RequestRejected;
import dev.roboflare.protocol.Sha256;
import dev.roboflare.controlplane.auth.OperatorToken;
import dev.roboflare.controlplane.auth.RobotTokens;
import dev.roboflare.controlplane.storage.OrganisationRows;
import dev.roboflare.controlplane.storage.TokenRows;
import dev.roboflare.controlplane.storage.TokenRows.OperatorTokenRow;
import dev.roboflare.controlplane.storage.Transactor;
import dev.roboflare.protocol.TrustApi.CreateOperatorToken;
import dev.roboflare.protocol.TrustApi.OperatorTokenCreated;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who an operator token is: DATA/operator-token is the admin of 'default'; tokens made with POST
 * /api/operator-tokens (admin only) are named, stored hashed, act inside one organisation, and may be read-only
 * (GET only). The admin lists and revokes them; a revoked token gets 401 from the next request on.
 */
public final class OperatorTokens {
    private static final Logger log = LoggerFactory.getLogger(OperatorTokens.class);
    static final String BOOTSTRAP_NAME = "operator-token";

    /**
     * Who is asking: a token's name, its organisation (every operator endpoint sees only that one's rows), whether
     * it may write, whether it is the admin, and its idempotency scope (a hash of the token).
     */
    public record Grant(String name, String org, boolean readOnly, boolean admin, String idempotencyScope) {
    }

    private final Transactor db;
    private final Clock clock;
    private final OperatorToken bootstrap;
    private final TokenRows tokens = new TokenRows();
    private final OrganisationRows organisations = new OrganisationRows();

    public OperatorTokens(Transactor db, Clock clock, OperatorToken bootstrap) {
        this.db = db;
        this.clock = clock;
        this.bootstrap = bootstrap;
    }

    public OperatorTokenCreated create(CreateOperatorToken request) {
        String name = request == null || request.name() == null ? "" : request.name().strip();
        if (name.isEmpty() || name.length() > 200) {
            throw RequestRejected.badRequest("name is required (1 to 200 characters), e.g. {\"name\": \"grafana\", "
                    + "\"org\": \"acme\", \"read_only\": true}");
        }
        dev.roboflare.controlplane.fleet.Names.rejectControl(name, "operator token");
        String org = request.org() == null || request.org().isBlank() ? Organisations.DEFAULT : request.org().strip();
        boolean readOnly = request.readOnly() != null && request.readOnly();
        String token = RobotTokens.newToken();
        String sha = Sha256.hex(token);
        db.inTransaction(c -> {
            if (!organisations.exists(c, org)) {
                throw RequestRejected.unprocessable("organisation '" + org + "' does not exist; create it with "
                        + "POST /api/orgs {\"name\": \"" + org + "\"} or list them with GET /api/orgs");
            }
            tokens.addOperatorToken(c, new OperatorTokenRow(sha, name, org, readOnly, clock.instant(), null));
            return null;
        });
        log.info("operator token '{}' ({}) created for organisation {} ({})", LogText.of(name), tokenId(sha), org,
                readOnly ? "read-only" : "read-write");
        return new OperatorTokenCreated(tokenId(sha), name, org, readOnly, token);
    }

    public List<dev.roboflare.protocol.TrustApi.OperatorToken> list() {
        return db.read(tokens::operatorTokens).stream().map(OperatorTokens::view).toList();
    }

    /** Revokes the extra token {@code tokenId}; revoking it again changes nothing. */
    public dev.roboflare.protocol.TrustApi.OperatorToken revoke(String tokenId) {
        dev.roboflare.protocol.TrustApi.OperatorToken after = db.inTransaction(c -> {
            OperatorTokenRow row = tokens.operatorTokens(c).stream()
                    .filter(t -> tokenId(t.tokenSha256()).equals(tokenId)).findFirst()
                    .orElseThrow(() -> RequestRejected.notFound("no operator token '" + tokenId + "'; list them "
                            + "with GET /api/operator-tokens (DATA/operator-token itself cannot be revoked: replace "
                            + "the file and restart)"));
            tokens.revokeOperatorToken(c, row.tokenSha256(), clock.instant());
            return view(tokens.operatorToken(c, row.tokenSha256()).orElseThrow());
        });
        log.info("operator token '{}' ({}) of organisation {} revoked", LogText.of(after.name()), tokenId, after.org());
        return after;
    }

    public Optional<Grant> authenticate(String token) {
        if (token == null || token.isBlank()) {
            return Optional.empty();
        }
        return authenticateSha256(Sha256.hex(token));
    }

    /** The same by the token's SHA-256, for status-page sessions, which keep only that. */
    public Optional<Grant> authenticateSha256(String sha) {
        if (MessageDigest.isEqual(sha.getBytes(StandardCharsets.US_ASCII),
                bootstrap.sha256().getBytes(StandardCharsets.US_ASCII))) {
            return Optional.of(new Grant(BOOTSTRAP_NAME, Organisations.DEFAULT, false, true, idempotencyScope(sha)));
        }
        return db.read(c -> tokens.operatorToken(c, sha)).filter(t -> t.revokedAt() == null)
                .map(t -> new Grant(t.name(), t.org(), t.readOnly(), false, idempotencyScope(sha)));
    }

    /**
     * What Idempotency-Keys are scoped to: a short hash of the token (never the token itself). A rotated token
     * starts a fresh key space; every token acts in one organisation, so keys never cross organisations either.
     */
    private static String idempotencyScope(String sha256) {
        return "op:" + tokenId(sha256);
    }

    static String tokenId(String sha256) {
        return sha256.substring(0, 16);
    }

    private static dev.roboflare.protocol.TrustApi.OperatorToken view(OperatorTokenRow t) {
        return new dev.roboflare.protocol.TrustApi.OperatorToken(tokenId(t.tokenSha256()), t.name(), t.org(),
                t.readOnly(), t.createdAt(), t.revokedAt());
    }
}
