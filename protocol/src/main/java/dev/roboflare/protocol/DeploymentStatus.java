package dev.roboflare.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * The append-only life of a deployment: {@code queued → dispatched → applied | failed | rolled_back}.
 * A deployment's status is always its newest event; nothing is updated in place.
 */
public enum DeploymentStatus {
    QUEUED, DISPATCHED, APPLIED, FAILED, ROLLED_BACK;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static DeploymentStatus fromWire(String value) {
        for (DeploymentStatus s : values()) {
            if (s.wire().equals(value)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown deployment status '" + value
                + "'; expected one of queued, dispatched, applied, failed, rolled_back");
    }

    /** True for the three outcomes after which no further event is expected. */
    public boolean isFinal() {
        return this == APPLIED || this == FAILED || this == ROLLED_BACK;
    }
}
