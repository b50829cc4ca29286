package dev.roboflare.controlplane.fleet;

import dev.roboflare.controlplane.LogText;
import dev.roboflare.controlplane.Ids;
import dev.roboflare.controlplane.RequestRejected;
import dev.roboflare.controlplane.storage.FleetRows;
import dev.roboflare.controlplane.storage.FleetRows.FleetRow;
import dev.roboflare.controlplane.storage.RobotRows;
import dev.roboflare.controlplane.storage.Transactor;
import dev.roboflare.protocol.OperatorApi.CreateFleet;
import dev.roboflare.protocol.OperatorApi.Fleet;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Fleets: named groups of robots that a deployment can target. Membership only grows in v0. */
public final class FleetRegistry {
    private static final Logger log = LoggerFactory.getLogger(FleetRegistry.class);

    private final Transactor db;
    private final Clock clock;
    private final FleetRows fleets = new FleetRows();
    private final RobotRows robots = new RobotRows();

    public FleetRegistry(Transactor db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    public Fleet create(String org, CreateFleet request) {
        String name = Names.require(request.name(), "fleet");
        List<String> robotIds = request.robotIds() == null ? List.of() : request.robotIds();
        if (robotIds.stream().anyMatch(id -> id == null || id.isBlank())) {
            throw RequestRejected.badRequest("robot_ids must hold robot ids (strings), not null or empty values");
        }
        String id = Ids.newId();
        Fleet fleet = db.inTransaction(c -> {
            List<String> unknown = new ArrayList<>();
            for (String robotId : robotIds) {
                if (robots.find(c, org, robotId).isEmpty()) { // another organisation's robot: unknown here
                    unknown.add(robotId);
                }
            }
            if (!unknown.isEmpty()) {
                throw RequestRejected.unprocessable("robot_ids " + unknown + " do not exist; create robots with "
                        + "POST /api/robots or list them with GET /api/robots");
            }
            fleets.insert(c, org, id, name, clock.instant());
            for (String robotId : new LinkedHashSet<>(robotIds)) {
                fleets.addRobot(c, id, robotId, clock.instant());
            }
            return view(c, new FleetRow(id, name));
        });
        log.info("fleet {} created: name={} robots={}", id, LogText.of(name), fleet.robotIds().size());
        return fleet;
    }

    public Fleet addRobot(String org, String fleetId, String robotId) {
        return db.inTransaction(c -> {
            FleetRow fleet = requireFleet(c, org, fleetId);
            if (robots.find(c, org, robotId).isEmpty()) {
                throw RequestRejected.notFound("no robot with id '" + robotId + "'; create it with POST /api/robots");
            }
            fleets.addRobot(c, fleetId, robotId, clock.instant());
            log.info("fleet {}: robot {} is a member", fleetId, robotId);
            return view(c, fleet);
        });
    }

    public Fleet get(String org, String fleetId) {
        return db.read(c -> view(c, requireFleet(c, org, fleetId)));
    }

    public List<Fleet> list(String org) {
        return db.read(c -> {
            List<Fleet> out = new ArrayList<>();
            for (FleetRow row : fleets.listOldestFirst(c, org)) {
                out.add(view(c, row));
            }
            return out;
        });
    }

    private FleetRow requireFleet(Connection c, String org, String fleetId) throws SQLException {
        return fleets.find(c, org, fleetId).orElseThrow(() -> RequestRejected.notFound(
                "no fleet with id '" + fleetId + "'; list fleets with GET /api/fleets"));
    }

    private Fleet view(Connection c, FleetRow row) throws SQLException {
        return new Fleet(row.id(), row.name(), fleets.robotIds(c, row.id()));
    }
}
