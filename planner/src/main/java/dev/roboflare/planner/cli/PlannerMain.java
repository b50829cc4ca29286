package dev.roboflare.planner.cli;

import dev.roboflare.planner.PlanningException;
import picocli.CommandLine;

/** Entry point of {@code roboflare-planner.jar}. Exit codes: 0 plan printed, 1 cannot plan, 2 bad or missing flags. */
public final class PlannerMain {
    private PlannerMain() {
    }

    public static void main(String[] args) {
        System.exit(commandLine(Prompter.console()).execute(args));
    }

    public static CommandLine commandLine(Prompter prompter) {
        CommandLine cli = new CommandLine(new PlannerCommand(), new GoCommandFactory(prompter));
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

    /** Hands the prompter to the go command; everything else is built by picocli's default factory. */
    private record GoCommandFactory(Prompter prompter) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> cls) throws Exception {
            if (cls == GoCommand.class) {
                return cls.cast(new GoCommand(prompter));
            }
            return CommandLine.defaultFactory().create(cls);
        }
    }
}
