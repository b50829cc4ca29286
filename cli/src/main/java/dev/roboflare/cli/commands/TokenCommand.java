package dev.roboflare.cli.commands;

import dev.roboflare.cli.output.Table;
import dev.roboflare.protocol.TrustApi;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "token", description = "Operator tokens besides DATA/operator-token (admin token only): each acts in "
        + "one organisation, read-write or read-only.",
        subcommands = {TokenCommand.Create.class, TokenCommand.ListTokens.class, TokenCommand.Revoke.class})
public final class TokenCommand {

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Issue an operator token for an organisation and print it (shown this once).")
    static final class Create extends OperatorCommand {
        @Parameters(paramLabel = "NAME", description = "what the token is for, e.g. ci or wall-screen")
        String name;

        @Option(names = "--org", paramLabel = "ORG", description = "its organisation (default: default)")
        String org;

        @Option(names = "--read-only", description = "GET only: every other method gets 403")
        boolean readOnly;

        @Option(names = "--json", description = "print {token_id, name, org, read_only, token} as JSON")
        boolean json;

        @Override
        public Integer call() {
            TrustApi.OperatorTokenCreated t = client().admin().createOperatorToken(name, org, readOnly);
            if (json) {
                printJson(t);
                return 0;
            }
            out().println("token " + t.tokenId() + " '" + t.name() + "' for organisation " + t.org() + " ("
                    + (t.readOnly() ? "read-only" : "read-write") + "), shown only this once:");
            out().println("  " + t.token());
            out().println("use it as ROBOFLARE_TOKEN or token= in ~/.config/roboflare/config; revoke it with: "
                    + "roboflare token revoke " + t.tokenId());
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Operator tokens, oldest first (ids and names, never the tokens).")
    static final class ListTokens extends OperatorCommand {
        @Option(names = "--json", description = "print JSON")
        boolean json;

        @Override
        public Integer call() {
            List<TrustApi.OperatorToken> tokens = client().admin().operatorTokens();
            if (json) {
                printJson(tokens);
                return 0;
            }
            Table t = new Table("TOKEN ID", "NAME", "ORG", "ACCESS", "CREATED", "REVOKED");
            tokens.forEach(o -> t.row(o.tokenId(), o.name(), o.org(), o.readOnly() ? "read-only" : "read-write",
                    o.createdAt().toString(), o.revokedAt() == null ? null : o.revokedAt().toString()));
            out().print(t.render());
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Revoke an operator token at once: its next request gets 401.")
    static final class Revoke extends OperatorCommand {
        @Parameters(paramLabel = "TOKEN_ID", description = "the id from 'token create' or 'token list'")
        String tokenId;

        @Option(names = "--json", description = "print the revoked token's entry as JSON")
        boolean json;

        @Override
        public Integer call() {
            TrustApi.OperatorToken t = client().admin().revokeOperatorToken(tokenId);
            if (json) {
                printJson(t);
                return 0;
            }
            out().println("token " + t.tokenId() + " '" + t.name() + "' of organisation " + t.org() + " revoked at "
                    + t.revokedAt());
            return 0;
        }
    }
}
