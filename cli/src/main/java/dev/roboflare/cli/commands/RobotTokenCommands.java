package dev.roboflare.cli.commands;

import dev.roboflare.protocol.OperatorApi;
import dev.roboflare.protocol.TrustApi;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code robot rotate} and {@code robot revoke}: token rotation without downtime, and lock-out. */
final class RobotTokenCommands {
    private RobotTokenCommands() {
    }

    @Command(name = "rotate", mixinStandardHelpOptions = true,
            description = "Issue an additional token for a robot (shown once). The old one keeps working: put the new "
                    + "one on the robot, restart its agent, then 'robot revoke ROBOT --token-id OLD_ID'.")
    static final class Rotate extends OperatorCommand {
        @Parameters(paramLabel = "ROBOT", description = "robot id or name")
        String robot;

        @Override
        public Integer call() {
            OperatorApi.Robot r = lookup().robot(robot);
            OperatorApi.RobotCredentials c = client().robots().newToken(r.id());
            out().println("new token for robot " + c.name() + " (shown only this once):");
            out().println("  " + c.token());
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Revoke a robot's tokens at once (all of them, or one with --token); the agent then gets 401.")
    static final class Revoke extends OperatorCommand {
        @Parameters(paramLabel = "ROBOT", description = "robot id or name")
        String robot;

        @Option(names = "--token-id", paramLabel = "TOKEN_ID", description = "only this token (id from the revoke output "
                + "or GET /api/robots/{id}/tokens)")
        String tokenId;

        @Override
        public Integer call() {
            OperatorApi.Robot r = lookup().robot(robot);
            List<TrustApi.RobotToken> tokens = client().robots().revokeTokens(r.id(), tokenId);
            for (TrustApi.RobotToken t : tokens) {
                out().println("token " + t.tokenId() + " created " + t.createdAt()
                        + (t.revokedAt() == null ? " active" : " revoked " + t.revokedAt()));
            }
            return 0;
        }
    }
}
