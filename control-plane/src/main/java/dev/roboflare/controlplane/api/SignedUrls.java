package dev.roboflare.controlplane.api;

import dev.roboflare.controlplane.RequestRejected;
import dev.roboflare.controlplane.auth.DownloadSigner;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;

/**
 * The check of a short-lived signed URL a robot got with its poll ({@code ?expires=&sig=}): the download URL and the
 * chunks URL, each signed over its own name so that neither opens the other. A refusal is a 403 saying what to use
 * instead, and goes into the failed-authentication log.
 */
final class SignedUrls {
    /** {@code what}: "download" or "chunks"; the poll's field is {@code what}_url. */
    private final String what;
    private final DownloadSigner signer;
    private final Clock clock;

    SignedUrls(String what, DownloadSigner signer, Clock clock) {
        this.what = what;
        this.signer = signer;
        this.clock = clock;
    }

    /** Refuses the request unless its expires and sig sign {@code signedName} and have not expired. */
    void verify(Context ctx, String signedName) {
        try {
            verify(signedName, ctx.queryParam("expires"), ctx.queryParam("sig"));
        } catch (RequestRejected e) {
            AuthFailures.record(ctx, what + " URL refused (" + e.detail().split(";", 2)[0] + ")");
            throw e;
        }
    }

    private void verify(String signedName, String expiresText, String sig) {
        String useInstead = "use the " + what + "_url from GET /api/agent/deployments, unmodified";
        if (expiresText == null || sig == null) {
            throw new RequestRejected(403, "this " + what + " URL is not signed; " + useInstead);
        }
        long expires;
        try {
            expires = Long.parseLong(expiresText);
        } catch (NumberFormatException e) {
            throw new RequestRejected(403, "expires must be epoch seconds; " + useInstead);
        }
        switch (signer.verify(signedName, expires, sig, clock.instant())) {
            case BAD_SIGNATURE -> throw new RequestRejected(403, "the " + what + " URL's signature does not match; "
                    + useInstead);
            case EXPIRED -> throw new RequestRejected(403, "the " + what + " URL expired at "
                    + Instant.ofEpochSecond(expires) + "; poll GET /api/agent/deployments for a fresh one");
            case VALID -> {
            }
        }
    }
}
