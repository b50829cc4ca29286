package dev.roboflare.controlplane.trust;

import dev.roboflare.controlplane.RequestRejected;
import dev.roboflare.controlplane.Sha256;
import dev.roboflare.controlplane.auth.RobotTokens;
import dev.roboflare.controlplane.storage.TokenRows;
import dev.roboflare.controlplane.storage.TokenRows.OperatorTokenRow;
import dev.roboflare.controlplane.storage.Transactor;
import dev.roboflare.protocol.TrustApi.CreateOperatorToken;
import dev.roboflare.protocol.TrustApi.OperatorTokenCreated;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Operator tokens besides DATA/operator-token: named, stored hashed, optionally read-only (GET only). Only a
 * full-access token can create them.
 */
public final class OperatorTokens {
    private static final Logger log = LoggerFactory.getLogger(OperatorTokens.class);

    /** Who is asking: a token's name, whether it may write, and its idempotency scope (a hash of the token). */
    public record Grant(String name, boolean readOnly, String idempotencyScope) {
    }

    private final Transactor db;
    private final Clock clock;
    private final TokenRows tokens = new TokenRows();

    public OperatorTokens(Transactor db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    public OperatorTokenCreated create(CreateOperatorToken request) {
        String name = request == null || request.name() == null ? "" : request.name().strip();
        if (name.isEmpty() || name.length() > 200) {
            throw RequestRejected.badRequest("name is required (1 to 200 characters), e.g. {\"name\": \"grafana\", "
                    + "\"read_only\": true}");
        }
        boolean readOnly = request.readOnly() != null && request.readOnly();
        String token = RobotTokens.newToken();
        db.inTransaction(c -> {
            tokens.addOperatorToken(c, new OperatorTokenRow(Sha256.hex(token), name, readOnly, clock.instant(), null));
            return null;
        });
        log.info("operator token '{}' created ({})", name, readOnly ? "read-only" : "full access");
        return new OperatorTokenCreated(name, readOnly, token);
    }

    public Optional<Grant> authenticate(String token) {
        if (token == null || token.isBlank()) {
            return Optional.empty();
        }
        String sha = Sha256.hex(token);
        return db.read(c -> tokens.operatorToken(c, sha)).filter(t -> t.revokedAt() == null)
                .map(t -> new Grant(t.name(), t.readOnly(), "op:" + sha.substring(0, 16)));
    }

    static RequestRejected readOnly(String name) {
        return new RequestRejected(403, "operator token '" + name + "' is read-only; use a full-access token");
    }
}
