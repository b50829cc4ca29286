package dev.roboflare.cli;

/** The control plane answered 4xx/5xx; the message is its problem detail with the status, on one line. */
public final class ServerRefusal extends CliException {
    private final int status;

    public ServerRefusal(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
