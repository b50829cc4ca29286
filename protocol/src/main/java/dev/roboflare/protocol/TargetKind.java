package dev.roboflare.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** A deployment targets one robot, or a fleet that fans out into one child deployment per robot. */
public enum TargetKind {
    ROBOT, FLEET;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static TargetKind fromWire(String value) {
        for (TargetKind k : values()) {
            if (k.wire().equals(value)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown target kind '" + value + "'; expected robot or fleet");
    }
}
