package dev.roboflare.cli.commands;

import dev.roboflare.cli.output.Table;
import dev.roboflare.protocol.TrustApi;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "org", description = "Organisations (admin token only): each sees only its own artifacts, releases, "
        + "robots, fleets and deployments.",
        subcommands = {OrgCommand.Create.class, OrgCommand.ListOrgs.class})
public final class OrgCommand {

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create an organisation; then issue it a token with 'token create NAME --org ORG'.")
    static final class Create extends OperatorCommand {
        @Parameters(paramLabel = "NAME", description = "lower-case letters, digits and '-', e.g. acme-lab")
        String name;

        @Option(names = "--json", description = "print {name, created_at} as JSON")
        boolean json;

        @Override
        public Integer call() {
            TrustApi.Organisation o = client().admin().createOrganisation(name);
            if (json) {
                printJson(o);
                return 0;
            }
            out().println("organisation " + o.name() + " created; give it a token with: roboflare token create NAME "
                    + "--org " + o.name() + " [--read-only]");
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Organisations, oldest first.")
    static final class ListOrgs extends OperatorCommand {
        @Option(names = "--json", description = "print JSON")
        boolean json;

        @Override
        public Integer call() {
            List<TrustApi.Organisation> orgs = client().admin().organisations();
            if (json) {
                printJson(orgs);
                return 0;
            }
            Table t = new Table("NAME", "CREATED");
            orgs.forEach(o -> t.row(o.name(), o.createdAt().toString()));
            out().print(t.render());
            return 0;
        }
    }
}
