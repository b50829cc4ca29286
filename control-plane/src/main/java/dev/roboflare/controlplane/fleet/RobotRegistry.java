package dev.roboflare.controlplane.fleet;

import dev.roboflare.controlplane.Ids;
import dev.roboflare.controlplane.RequestRejected;
import dev.roboflare.controlplane.auth.RobotTokens;
import dev.roboflare.controlplane.storage.DeploymentRows;
import dev.roboflare.controlplane.storage.DeploymentRows.DeploymentRow;
import dev.roboflare.controlplane.storage.ReleaseRows;
import dev.roboflare.controlplane.storage.RobotRows;
import dev.roboflare.controlplane.storage.RobotRows.RobotRow;
import dev.roboflare.controlplane.storage.Transactor;
import dev.roboflare.protocol.OperatorApi.Release;
import dev.roboflare.protocol.OperatorApi.Robot;
import dev.roboflare.protocol.OperatorApi.RobotCredentials;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Robots: enrolment (token shown once), what an operator sees about one, and robot authentication. */
public final class RobotRegistry {
    private static final Logger log = LoggerFactory.getLogger(RobotRegistry.class);

    private final Transactor db;
    private final Clock clock;
    private final RobotRows robots = new RobotRows();
    private final DeploymentRows deployments = new DeploymentRows();
    private final ReleaseRows releases = new ReleaseRows();

    public RobotRegistry(Transactor db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    public RobotCredentials create(String name) {
        String cleanName = Names.require(name, "robot");
        String token = RobotTokens.newToken();
        RobotRow row = new RobotRow(Ids.newId(), cleanName, clock.instant(), null);
        db.inTransaction(c -> {
            robots.insert(c, row, RobotTokens.fingerprint(token));
            return null;
        });
        log.info("robot {} created: name={}", row.id(), cleanName);
        return new RobotCredentials(row.id(), cleanName, token);
    }

    public Robot get(String id) {
        return db.read(c -> {
            RobotRow row = robots.find(c, id).orElseThrow(() -> RequestRejected.notFound(
                    "no robot with id '" + id + "'; list robots with GET /api/robots"));
            return view(c, row);
        });
    }

    public List<Robot> list() {
        return db.read(c -> {
            List<Robot> out = new ArrayList<>();
            for (RobotRow row : robots.listOldestFirst(c)) {
                out.add(view(c, row));
            }
            return out;
        });
    }

    /** The robot id for a bearer token, marking the robot as seen now; empty for an unknown token. */
    public Optional<String> authenticate(String token) {
        if (token == null || token.isBlank()) {
            return Optional.empty();
        }
        String fingerprint = RobotTokens.fingerprint(token);
        Optional<String> robotId = db.read(c -> robots.findIdByTokenSha256(c, fingerprint));
        robotId.ifPresent(id -> db.inTransaction(c -> {
            robots.markSeen(c, id, clock.instant());
            return null;
        }));
        return robotId;
    }

    /** Current release = the release of the robot's newest deployment whose status is applied. */
    private Robot view(Connection c, RobotRow row) throws SQLException {
        Optional<DeploymentRow> last = deployments.newestForRobot(c, row.id());
        Optional<Release> current = Optional.empty();
        Optional<DeploymentRow> applied = deployments.newestAppliedForRobot(c, row.id());
        if (applied.isPresent()) {
            current = releases.find(c, applied.get().releaseId());
        }
        return new Robot(row.id(), row.name(), row.createdAt(), row.lastSeenAt(),
                current.map(Release::id).orElse(null), current.map(Release::semver).orElse(null),
                last.map(DeploymentRow::id).orElse(null), last.map(DeploymentRow::status).orElse(null));
    }
}
