package dev.roboflare.cli.commands;

import dev.roboflare.cli.output.Table;
import dev.roboflare.protocol.TrustApi;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "org", description = "Organisations (admin token only): each sees only its own artifacts, releases, "
        + "robots, fleets and deployments.",
        subcommands = {OrgCommand.Create.class, OrgCommand.ListOrgs.class, OrgCommand.Quota.class})
public final class OrgCommand {

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create an organisation; then issue it a token with 'token create NAME --org ORG'.")
    static final class Create extends OperatorCommand {
        @Parameters(paramLabel = "NAME", description = "lower-case letters, digits and '-', e.g. acme-lab")
        String name;

        @Option(names = "--quota", paramLabel = "SIZE",
                description = "the most artifact bytes it may store, e.g. 50G or 500M (uploads past it get 413); "
                        + "default: no quota")
        String quota;

        @Option(names = "--json", description = "print {name, created_at, quota_bytes, used_bytes} as JSON")
        boolean json;

        @Override
        public Integer call() {
            TrustApi.Organisation o = client().admin().createOrganisation(name, quota);
            if (json) {
                printJson(o);
                return 0;
            }
            out().println("organisation " + o.name() + " created; give it a token with: roboflare token create NAME "
                    + "--org " + o.name() + " [--read-only]");
            return 0;
        }
    }

    @Command(name = "quota", mixinStandardHelpOptions = true,
            description = "Set an organisation's storage quota (uploads past it get 413; stored artifacts stay), "
                    + "or remove it with 'none'.")
    static final class Quota extends OperatorCommand {
        @Parameters(index = "0", paramLabel = "ORG")
        String org;

        @Parameters(index = "1", paramLabel = "SIZE", description = "e.g. 50G or 500M, or none")
        String size;

        @Override
        public Integer call() {
            TrustApi.Organisation o = client().admin().setQuota(org, "none".equalsIgnoreCase(size) ? null : size);
            out().println("organisation " + o.name() + ": quota " + (o.quotaBytes() == null ? "none"
                    : o.quotaBytes() + " bytes") + ", " + o.usedBytes() + " bytes used");
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
            Table t = new Table("NAME", "CREATED", "QUOTA", "USED");
            orgs.forEach(o -> t.row(o.name(), o.createdAt().toString(),
                    o.quotaBytes() == null ? "-" : o.quotaBytes() + " B", o.usedBytes() + " B"));
            out().print(t.render());
            return 0;
        }
    }
}
