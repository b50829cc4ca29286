package dev.roboflare.cli.http;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.roboflare.protocol.ApiRoutes;
import dev.roboflare.protocol.OperatorApi.CreateRobot;
import dev.roboflare.protocol.OperatorApi.Robot;
import dev.roboflare.protocol.OperatorApi.RobotCredentials;
import dev.roboflare.protocol.TrustApi.RevokeRobotTokens;
import dev.roboflare.protocol.TrustApi.RobotToken;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** /api/robots: enrolment, presence, and the robots' tokens. */
public final class RobotsClient {
    private final JsonTransport t;

    RobotsClient(JsonTransport transport) {
        this.t = transport;
    }

    public RobotCredentials enroll(String name) {
        return t.created(t.post(t.url(ApiRoutes.ROBOTS), new CreateRobot(name), null), RobotCredentials.class).value();
    }

    public List<Robot> list() {
        return t.get(t.url(ApiRoutes.ROBOTS), new TypeReference<>() { });
    }

    public Optional<Robot> find(String id) {
        return t.find(t.url(ApiRoutes.ROBOT, id), Robot.class);
    }

    public RobotCredentials newToken(String robotId) {
        return t.created(t.post(t.url(ApiRoutes.ROBOT_TOKENS, robotId), Map.of(), null), RobotCredentials.class)
                .value();
    }

    /** {@code tokenId} null revokes every token of the robot. */
    public List<RobotToken> revokeTokens(String robotId, String tokenId) {
        return t.exchange(t.post(t.url(ApiRoutes.ROBOT_REVOKE, robotId), new RevokeRobotTokens(tokenId), null),
                (status, replayed, body) -> JsonTransport.JSON.readValue(body, new TypeReference<>() { }));
    }
}
