package dev.roboflare.planner.testing;

import dev.roboflare.planner.cli.PlannerMain;
import dev.roboflare.planner.cli.PlannerServices;
import dev.roboflare.planner.cli.Prompter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/** Runs the planner's command line in-process, as {@code java -jar roboflare-planner.jar} would. */
public record PlannerRun(int exitCode, String out, String err) {

    /** No terminal attached: the situation of CI and of scripts piping --json. */
    public static PlannerRun run(String... args) {
        return run(noTerminal(), args);
    }

    public static PlannerRun run(Prompter prompter, String... args) {
        return run(prompter, PlannerServices.real(), args);
    }

    /** With a fake clock/sleeper, token and CloudFront lookup: for track-builds and invalidate-cloudfront. */
    public static PlannerRun run(PlannerServices services, String... args) {
        return run(noTerminal(), services, args);
    }

    public static PlannerRun run(Prompter prompter, PlannerServices services, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cli = PlannerMain.commandLine(prompter, services);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new PlannerRun(code, out.toString(), err.toString());
    }

    public static Prompter noTerminal() {
        return new Prompter() {
            @Override
            public boolean available() {
                return false;
            }

            @Override
            public String ask(String question) {
                throw new AssertionError("must not prompt without a terminal: " + question);
            }
        };
    }

    /** A terminal whose user types the given answers in order; the questions asked are recorded. */
    public static final class ScriptedTerminal implements Prompter {
        private final Deque<String> answers;
        private final List<String> questions = new java.util.ArrayList<>();

        public ScriptedTerminal(String... answers) {
            this.answers = new ArrayDeque<>(List.of(answers));
        }

        @Override
        public boolean available() {
            return true;
        }

        @Override
        public String ask(String question) {
            questions.add(question);
            return answers.poll();
        }

        public List<String> questions() {
            return questions;
        }
    }
}
