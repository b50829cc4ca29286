package dev.roboflare.controlplane;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar roboflare-control-plane.jar serve --port 8080 --data-dir ./data}. */
@Command(name = "roboflare-control-plane", mixinStandardHelpOptions = true,
        description = "Roboflare control plane: artifacts, releases, deployments; operator and agent APIs.",
        subcommands = {ServeCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        int code = new CommandLine(new Main()).execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command; try: serve --help");
    }
}
