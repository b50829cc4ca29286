package dev.roboflare.controlplane.storage;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Timestamps are stored as epoch microseconds (BIGINT): portable, sortable, precise enough to order rows. */
final class Times {
    private Times() {
    }

    static long toMicros(Instant instant) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
    }

    static Instant fromMicros(long micros) {
        return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
    }

    static Long toMicrosOrNull(Instant instant) {
        return instant == null ? null : toMicros(instant);
    }
}
