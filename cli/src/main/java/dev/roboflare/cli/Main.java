package dev.roboflare.cli;

import dev.roboflare.cli.commands.ArtifactCommand;
import dev.roboflare.cli.commands.DeployCommand;
import dev.roboflare.cli.commands.EventsCommand;
import dev.roboflare.cli.commands.FleetCommand;
import dev.roboflare.cli.commands.OrgCommand;
import dev.roboflare.cli.commands.ReleaseCommand;
import dev.roboflare.cli.commands.RobotCommand;
import dev.roboflare.cli.commands.RollbackCommand;
import dev.roboflare.cli.commands.StatusCommand;
import dev.roboflare.cli.commands.TokenCommand;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** {@code roboflare}: the operator's command line for a Roboflare control plane. */
@Command(name = "roboflare", mixinStandardHelpOptions = true, version = "roboflare 0.1.0",
        description = "Operate a Roboflare control plane: push artifacts, publish releases, enroll robots, "
                + "deploy, watch rollouts and roll back.",
        subcommands = {ArtifactCommand.class, ReleaseCommand.class, RobotCommand.class, FleetCommand.class,
                DeployCommand.class, StatusCommand.class, RollbackCommand.class, EventsCommand.class,
                OrgCommand.class, TokenCommand.class},
        footer = {"", "Exit codes: 0 ok; 1 error (server refusal, network, configuration); 2 usage error; "
                + "3 a deployment watched or shown by 'status' has failed or rolled_back children."})
public final class Main {
    public static final int EXIT_ERROR = 1;
    public static final int EXIT_DEPLOYMENT_FAILED = 3;

    @Option(names = "--url", scope = ScopeType.INHERIT, paramLabel = "URL",
            description = "control-plane URL (else ROBOFLARE_URL, url= in the config file, " + Settings.DEFAULT_URL + ")")
    String url;

    @Option(names = "--token", scope = ScopeType.INHERIT, paramLabel = "TOKEN",
            description = "operator token (else --token-file, ROBOFLARE_TOKEN, ROBOFLARE_TOKEN_FILE, token= or "
                    + "token-file= in the config file)")
    String token;

    @Option(names = "--token-file", scope = ScopeType.INHERIT, paramLabel = "FILE",
            description = "file holding the operator token, e.g. DATA_DIR/operator-token")
    Path tokenFile;

    @Option(names = "--config", scope = ScopeType.INHERIT, paramLabel = "FILE",
            description = "config file (else ROBOFLARE_CONFIG, ~/.config/roboflare/config)")
    Path config;

    private Session session;

    public Session session() {
        return session;
    }

    public Settings settings() {
        return Settings.resolve(session, url, token, tokenFile, config);
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        Session session = new Session(System.getenv(), Path.of(System.getProperty("user.home")), out, err,
                System.console() != null);
        int code = run(session, args);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** Runs one command line; errors the operator can fix are one line on stderr and exit code 1. */
    public static int run(Session session, String... args) {
        Main root = new Main();
        root.session = session;
        CommandLine cli = new CommandLine(root);
        cli.setExpandAtFiles(false); // --manifest @file.json is ours, not picocli's argument file
        cli.setOut(session.out());
        cli.setErr(session.err());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof CliException) {
                session.err().println("roboflare: " + e.getMessage());
                session.err().flush();
                return EXIT_ERROR;
            }
            throw e;
        });
        int code = cli.execute(args);
        session.out().flush();
        session.err().flush();
        return code;
    }

}
