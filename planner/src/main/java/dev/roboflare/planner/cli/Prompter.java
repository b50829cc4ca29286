package dev.roboflare.planner.cli;

/** Asks the engineer for a missing choice. Only used when a terminal is attached. */
public interface Prompter {
    boolean available();

    /** @return the answer, or null at end of input */
    String ask(String question);

    /** The real terminal, or an unavailable prompter when stdin/stdout are not a console (CI, pipes). */
    static Prompter console() {
        java.io.Console console = System.console();
        return new Prompter() {
            @Override
            public boolean available() {
                return console != null;
            }

            @Override
            public String ask(String question) {
                return console == null ? null : console.readLine("%s", question);
            }
        };
    }
}
