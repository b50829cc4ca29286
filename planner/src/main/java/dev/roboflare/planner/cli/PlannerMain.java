package dev.roboflare.planner.cli;

import dev.roboflare.planner.PlanningException;
import picocli.CommandLine;

/** Entry point of {@code roboflare-planner.jar}. Exit codes: 0 done, 1 cannot plan / GitHub error, 2 bad or missing flags (track-builds: also a run still missing), 3 assets missing. */
public final class PlannerMain {
    private PlannerMain() {
    }

    public static void main(String[] args) {
        System.exit(commandLine(Prompter.console()).execute(args));
    }

    public static CommandLine commandLine(Prompter prompter) {
        return commandLine(prompter, PlannerServices.real());
    }

    public static CommandLine commandLine(Prompter prompter, PlannerServices services) {
        CommandLine cli = new CommandLine(new PlannerCommand(), new CommandFactory(prompter, services));
        cli.setParameterExceptionHandler((ex, args) -> {
            CommandLine cmd = ex.getCommandLine();
            cmd.getErr().println("error: " + ex.getMessage());
            cmd.getErr().println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help'.");
            cmd.getErr().flush();
            return 2;
        });
        cli.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            if (ex instanceof PlanningException) {
                cmd.getErr().println("error: " + ex.getMessage());
                cmd.getErr().flush();
                return 1;
            }
            throw ex;
        });
        return cli;
    }

    /** Hands the prompter and the outside-world services to the commands; the rest is picocli's default factory. */
    private record CommandFactory(Prompter prompter, PlannerServices services) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> cls) throws Exception {
            if (cls == GoCommand.class) {
                return cls.cast(new GoCommand(prompter));
            }
            if (cls == TrackBuildsCommand.class) {
                return cls.cast(new TrackBuildsCommand(services));
            }
            if (cls == InvalidateCloudfrontCommand.class) {
                return cls.cast(new InvalidateCloudfrontCommand(services));
            }
            return CommandLine.defaultFactory().create(cls);
        }
    }
}
