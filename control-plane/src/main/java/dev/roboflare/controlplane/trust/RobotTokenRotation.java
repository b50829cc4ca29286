package dev.roboflare.controlplane.trust;

import dev.roboflare.controlplane.RequestRejected;
import dev.roboflare.controlplane.auth.RobotTokens;
import dev.roboflare.controlplane.storage.RobotRows;
import dev.roboflare.controlplane.storage.TokenRows;
import dev.roboflare.controlplane.storage.TokenRows.RobotTokenRow;
import dev.roboflare.controlplane.storage.Transactor;
import dev.roboflare.protocol.OperatorApi.RobotCredentials;
import dev.roboflare.protocol.TrustApi.RobotToken;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rotation without downtime: issue a second token, put it on the robot, then revoke the old one; both work in
 * between. Revocation is immediate (the next request with that token is 401) and cannot be undone.
 */
public final class RobotTokenRotation {
    private static final Logger log = LoggerFactory.getLogger(RobotTokenRotation.class);

    private final Transactor db;
    private final Clock clock;
    private final RobotRows robots = new RobotRows();
    private final TokenRows tokens = new TokenRows();

    public RobotTokenRotation(Transactor db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    public RobotCredentials issue(String org, String robotId) {
        String token = RobotTokens.newToken();
        String name = db.inTransaction(c -> {
            String n = robots.find(c, org, robotId).orElseThrow(() -> unknown(robotId)).name();
            tokens.addRobotToken(c, robotId, RobotTokens.fingerprint(token), clock.instant());
            return n;
        });
        log.info("robot {} got a new token {} (rotation; older tokens still work until revoked)", robotId,
                tokenId(RobotTokens.fingerprint(token)));
        return new RobotCredentials(robotId, name, token);
    }

    public List<RobotToken> list(String org, String robotId) {
        return db.read(c -> {
            robots.find(c, org, robotId).orElseThrow(() -> unknown(robotId));
            return tokens.robotTokens(c, robotId).stream().map(RobotTokenRotation::view).toList();
        });
    }

    /** Revokes one token ({@code tokenId}) or, with null, every token of the robot that is not revoked yet. */
    public List<RobotToken> revoke(String org, String robotId, String tokenId) {
        List<RobotToken> after = db.inTransaction(c -> {
            robots.find(c, org, robotId).orElseThrow(() -> unknown(robotId));
            List<RobotTokenRow> rows = tokens.robotTokens(c, robotId);
            boolean found = false;
            for (RobotTokenRow t : rows) {
                if (tokenId == null || tokenId(t.tokenSha256()).equals(tokenId)) {
                    found = true;
                    if (t.revokedAt() == null) {
                        tokens.revokeRobotToken(c, t.tokenSha256(), clock.instant());
                    }
                }
            }
            if (!found) {
                throw RequestRejected.notFound("robot " + robotId + " has no token '" + tokenId
                        + "'; list them with GET /api/robots/" + robotId + "/tokens");
            }
            return tokens.robotTokens(c, robotId).stream().map(RobotTokenRotation::view).toList();
        });
        log.info("robot {}: {} revoked", robotId, tokenId == null ? "every token" : "token " + tokenId);
        return after;
    }

    static String tokenId(String sha256) {
        return sha256.substring(0, 16);
    }

    private static RobotToken view(RobotTokenRow t) {
        return new RobotToken(tokenId(t.tokenSha256()), t.createdAt(), t.revokedAt());
    }

    private static RequestRejected unknown(String robotId) {
        return RequestRejected.notFound("no robot with id '" + robotId + "'; list robots with GET /api/robots");
    }
}
