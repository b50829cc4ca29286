package dev.roboflare.cli.commands;

import dev.roboflare.cli.output.Table;
import dev.roboflare.cli.output.Texts;
import dev.roboflare.protocol.OperatorApi;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "robot", description = "Enroll and list robots.",
        subcommands = {RobotCommand.Enroll.class, RobotCommand.ListRobots.class, RobotTokenCommands.Rotate.class,
                RobotTokenCommands.Revoke.class})
public final class RobotCommand {

    @Command(name = "enroll", mixinStandardHelpOptions = true,
            description = "Create a robot and print its token (shown this once) and the agent's config lines.")
    static final class Enroll extends OperatorCommand {
        @Parameters(paramLabel = "NAME", description = "robot name, e.g. flex-7")
        String name;

        @Option(names = "--json", description = "print {id, name, token} as JSON")
        boolean json;

        @Override
        public Integer call() {
            OperatorApi.RobotCredentials c = client().robots().enroll(name);
            if (json) {
                printJson(c);
                return 0;
            }
            out().println("robot " + c.name() + " enrolled: id " + c.id());
            out().println("token (shown only this once; store it on the robot in /etc/roboflare/robot-token, mode 0600):");
            out().println("  " + c.token());
            out().println("agent config line (/etc/roboflare/agent.conf):");
            out().println("  control-plane=" + client().baseUrl());
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Robots, oldest first.")
    static final class ListRobots extends OperatorCommand {
        @Option(names = "--json", description = "print JSON")
        boolean json;

        @Override
        public Integer call() {
            List<OperatorApi.Robot> robots = client().robots().list();
            if (json) {
                printJson(robots);
                return 0;
            }
            Instant now = Instant.now();
            Table t = new Table("ID", "NAME", "LAST SEEN", "CURRENT", "FIRMWARE", "LAST DEPLOYMENT", "EVENTS");
            for (OperatorApi.Robot r : robots) {
                t.row(r.id(), r.name(), Texts.ago(r.lastSeenAt(), now), r.currentReleaseSemver(),
                        r.firmwareReleaseSemver(), r.lastDeploymentId() == null ? null
                                : r.lastDeploymentId() + " " + r.lastDeploymentStatus().wire(), events(r));
            }
            out().print(t.render());
            return 0;
        }

        /** The robot's newest event number, and how many below it never arrived (in its outbox, or lost). */
        private static String events(OperatorApi.Robot r) {
            if (r.lastEventSeq() == null) {
                return null;
            }
            return "#" + r.lastEventSeq() + (r.missingEventSeqs() > 0 ? ", " + r.missingEventSeqs() + " missing" : "");
        }
    }
}
