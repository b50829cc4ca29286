package dev.roboflare.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What an artifact's bytes are. Only container images and app tarballs are applied by the v0 agent. */
public enum ArtifactKind {
    CONTAINER_IMAGE, APP_TARBALL, MCU_FIRMWARE, FULL_IMAGE_AB;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static ArtifactKind fromWire(String value) {
        for (ArtifactKind k : values()) {
            if (k.wire().equals(value)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown artifact kind '" + value
                + "'; expected one of container_image, app_tarball, mcu_firmware, full_image_ab");
    }
}
