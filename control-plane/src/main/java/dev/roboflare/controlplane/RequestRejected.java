package dev.roboflare.controlplane;

/**
 * A request the control plane refuses, with the HTTP status and a detail that tells the caller what was wrong
 * and what to do. Thrown from any layer; the API turns it into an RFC 9457 problem. Everything else that
 * escapes a handler is a bug and becomes a 500.
 */
public final class RequestRejected extends RuntimeException {
    private final int status;

    public RequestRejected(int status, String detail) {
        super(detail, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }

    public String detail() {
        return getMessage();
    }

    public static RequestRejected badRequest(String detail) {
        return new RequestRejected(400, detail);
    }

    public static RequestRejected notFound(String detail) {
        return new RequestRejected(404, detail);
    }

    public static RequestRejected conflict(String detail) {
        return new RequestRejected(409, detail);
    }

    public static RequestRejected unprocessable(String detail) {
        return new RequestRejected(422, detail);
    }
}
