package dev.roboflare.cli.http;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.roboflare.protocol.ApiRoutes;
import dev.roboflare.protocol.OperatorApi.CreateFleet;
import dev.roboflare.protocol.OperatorApi.Fleet;
import java.util.List;
import java.util.Optional;
import okhttp3.Request;
import okhttp3.RequestBody;

/** /api/fleets. */
public final class FleetsClient {
    private final JsonTransport t;

    FleetsClient(JsonTransport transport) {
        this.t = transport;
    }

    public Fleet create(CreateFleet body) {
        return t.created(t.post(t.url(ApiRoutes.FLEETS), body, null), Fleet.class).value();
    }

    /** Idempotent on the server: a robot already in the fleet stays once. */
    public Fleet addRobot(String fleetId, String robotId) {
        return t.call(new Request.Builder().url(t.url(ApiRoutes.FLEET_ROBOT, fleetId, robotId))
                .put(RequestBody.create(new byte[0], null)).build(), Fleet.class);
    }

    public List<Fleet> list() {
        return t.get(t.url(ApiRoutes.FLEETS), new TypeReference<>() { });
    }

    public Optional<Fleet> find(String id) {
        return t.find(t.url(ApiRoutes.FLEET, id), Fleet.class);
    }
}
