package dev.roboflare.controlplane.idempotency;

import dev.roboflare.controlplane.LogText;
import dev.roboflare.controlplane.metrics.ControlPlaneMetrics;
import io.micrometer.core.instrument.Metrics;
import dev.roboflare.controlplane.RequestRejected;
import dev.roboflare.controlplane.storage.IdempotencyRecords;
import dev.roboflare.controlplane.storage.StorageException;
import dev.roboflare.controlplane.storage.Transactor;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a POST at most once per (scope, Idempotency-Key), after the IETF httpapi draft:
 * <ul>
 *   <li>first request: the key is claimed (in flight), the work runs, and its response, success or 4xx,
 *       is stored in the same transaction as the work's rows;</li>
 *   <li>same key, same fingerprint, done: the stored response again, byte for byte;</li>
 *   <li>same key, other fingerprint: 422; same key while the first is still in flight: 409;</li>
 *   <li>a 5xx stores nothing and frees the key, so the client's retry runs the work again;</li>
 *   <li>records expire after {@code ttl}; an in-flight claim older than {@link #ABANDONED_AFTER} is taken over.</li>
 * </ul>
 */
public final class IdempotentRequests {
    private static final Logger log = LoggerFactory.getLogger(IdempotentRequests.class);
    /** Longer than any request may take; an older in-flight claim belongs to a crashed instance. */
    public static final Duration ABANDONED_AFTER = Duration.ofMinutes(5);

    /** One HTTP response: status and the exact body bytes (JSON, or problem+json for status >= 400). */
    public record Response(int status, String body, String deploymentId, boolean replayed) {
        public Response(int status, String body, String deploymentId) {
            this(status, body, deploymentId, false);
        }
    }

    @FunctionalInterface
    public interface Work {
        Response run(Connection c) throws SQLException;
    }

    private final Transactor db;
    private final Clock clock;
    private final Duration ttl;
    private final IdempotencyRecords records = new IdempotencyRecords();

    public IdempotentRequests(Transactor db, Clock clock, Duration ttl) {
        this.db = db;
        this.clock = clock;
        this.ttl = ttl;
    }

    public Duration ttl() {
        return ttl;
    }

    public Response run(String scope, String key, String fingerprint, Work work,
                        Function<RequestRejected, Response> rejection) {
        Instant now = clock.instant();
        Optional<IdempotencyRecords.Held> held = db.inTransaction(c ->
                records.claim(c, scope, key, fingerprint, now, now.plus(ttl), now.minus(ABANDONED_AFTER)));
        if (held.isPresent()) {
            return replay(key, fingerprint, held.get());
        }
        try {
            return db.inTransaction(c -> {
                Response r = work.run(c);
                records.complete(c, scope, key, r.status(), r.body(), r.deploymentId());
                return r;
            });
        } catch (RequestRejected e) {
            Response r = rejection.apply(e);
            db.inTransaction(c -> {
                records.complete(c, scope, key, r.status(), r.body(), null);
                return null;
            });
            return r;
        } catch (RuntimeException e) {
            try {
                db.inTransaction(c -> {
                    records.release(c, scope, key);
                    return null;
                });
            } catch (StorageException again) {
                e.addSuppressed(again);
            }
            throw e;
        }
    }

    private static Response replay(String key, String fingerprint, IdempotencyRecords.Held held) {
        if (!held.requestSha256().equals(fingerprint)) {
            Metrics.counter(ControlPlaneMetrics.IDEMPOTENCY_CONFLICTS).increment();
            throw RequestRejected.unprocessable("Idempotency-Key '" + key + "' was already used with a different "
                    + "body; send a new key for a new request, or the original body to get the original response");
        }
        if (held.inFlight()) {
            Metrics.counter(ControlPlaneMetrics.IDEMPOTENCY_CONFLICTS).increment();
            throw RequestRejected.conflict("a request with Idempotency-Key '" + key + "' is still being processed; "
                    + "retry in a moment to get its response");
        }
        Metrics.counter(ControlPlaneMetrics.IDEMPOTENCY_REPLAYS).increment();
        log.info("Idempotency-Key {} replayed: stored response {}", LogText.of(key), held.status());
        return new Response(held.status(), held.body(), null, true);
    }

    /** Deletes expired records; called by the scheduler tick. */
    public int purgeExpired() {
        Instant now = clock.instant();
        return db.inTransaction(c -> records.deleteExpired(c, now));
    }
}
