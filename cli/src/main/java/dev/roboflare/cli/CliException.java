package dev.roboflare.cli;

/** Something the operator can fix, said in one line (no stack trace): a server refusal, a bad flag, a missing token. */
public class CliException extends RuntimeException {
    public CliException(String message) {
        super(message);
    }

    public CliException(String message, Throwable cause) {
        super(message, cause);
    }
}
