package dev.roboflare.agent.executor.image;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roboflare.agent.files.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * STATE/os-image/switch.json, written before the boot environment changes: which slot ran, which one was switched
 * to, and the boot id of that boot, so that after a restart the agent knows whether the robot rebooted since and
 * where to go back to. On the data partition both slots mount, so the old OS's agent reads it after a fallback.
 * Format 1; a new field gets a new format number.
 */
record SwitchRecord(@JsonProperty("format") int format, @JsonProperty("deployment_id") String deploymentId,
                    @JsonProperty("from_slot") String from, @JsonProperty("to_slot") String to,
                    @JsonProperty("boot_id") String bootId) {
    static final int FORMAT = 1;
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    static SwitchRecord load(Path file, String deploymentId) throws IOException {
        if (!Files.exists(file)) {
            return null;
        }
        SwitchRecord r = JSON.readValue(file.toFile(), SwitchRecord.class);
        if (r.format() > FORMAT) {
            throw new IOException(file + " is format " + r.format() + ", newer than this agent reads (" + FORMAT + ")");
        }
        return deploymentId.equals(r.deploymentId()) ? r : null;
    }

    void save(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        AtomicFiles.write(file, JSON.writeValueAsBytes(this));
    }
}
