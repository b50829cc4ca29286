package dev.roboflare.cli.commands;

import dev.roboflare.cli.output.Table;
import dev.roboflare.protocol.OperatorApi;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "fleet", description = "Group robots into fleets that one deployment can target.",
        subcommands = {FleetCommand.Create.class, FleetCommand.Add.class, FleetCommand.ListFleets.class})
public final class FleetCommand {

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a fleet, optionally with robots.")
    static final class Create extends OperatorCommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "fleet name, e.g. bay-2")
        String name;

        @Parameters(index = "1..*", arity = "0..*", paramLabel = "ROBOT", description = "robot ids or names")
        List<String> robots = new ArrayList<>();

        @Option(names = "--json", description = "print the fleet as JSON")
        boolean json;

        @Override
        public Integer call() {
            Lookup lookup = lookup();
            List<String> ids = robots.stream().map(r -> lookup.robot(r).id()).toList();
            OperatorApi.Fleet f = client().fleets().create(new OperatorApi.CreateFleet(name, ids));
            print(f, lookup, "created");
            return 0;
        }

        private void print(OperatorApi.Fleet f, Lookup lookup, String verb) {
            if (json) {
                printJson(f);
            } else {
                out().println(FleetCommand.describe(f, lookup, verb));
            }
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Add robots to a fleet (idempotent).")
    static final class Add extends OperatorCommand {
        @Parameters(index = "0", paramLabel = "FLEET", description = "fleet id or name")
        String fleet;

        @Parameters(index = "1..*", arity = "1..*", paramLabel = "ROBOT", description = "robot ids or names")
        List<String> robots;

        @Option(names = "--json", description = "print the fleet as JSON")
        boolean json;

        @Override
        public Integer call() {
            Lookup lookup = lookup();
            String fleetId = lookup.fleet(fleet).id();
            OperatorApi.Fleet f = null;
            for (String r : robots) {
                f = client().fleets().addRobot(fleetId, lookup.robot(r).id());
            }
            if (json) {
                printJson(f);
            } else {
                out().println(describe(f, lookup, "updated"));
            }
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Fleets and their robots.")
    static final class ListFleets extends OperatorCommand {
        @Option(names = "--json", description = "print JSON")
        boolean json;

        @Override
        public Integer call() {
            List<OperatorApi.Fleet> fleets = client().fleets().list();
            if (json) {
                printJson(fleets);
                return 0;
            }
            Lookup lookup = lookup();
            Table t = new Table("ID", "NAME", "ROBOTS");
            for (OperatorApi.Fleet f : fleets) {
                t.row(f.id(), f.name(), String.join(", ", f.robotIds().stream().map(lookup::robotName).toList()));
            }
            out().print(t.render());
            return 0;
        }
    }

    static String describe(OperatorApi.Fleet f, Lookup lookup, String verb) {
        List<String> names = f.robotIds().stream().map(lookup::robotName).toList();
        return "fleet " + f.name() + " " + verb + " (id " + f.id() + "): " + names.size() + " robot"
                + (names.size() == 1 ? "" : "s") + (names.isEmpty() ? "" : ": " + String.join(", ", names));
    }
}
