package dev.roboflare.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirTest {
    @TempDir
    Path dataDir;

    @Test
    void secretsAreOwnerOnlyAndEverythingSurvivesARestart() throws Exception {
        String token;
        String robotId;
        try (TestServer first = new TestServer(dataDir, Duration.ofHours(1))) {
            token = first.operatorToken;
            robotId = first.robot("persistent").get("id").asText();
        }
        assertThat(token).hasSizeGreaterThanOrEqualTo(43);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve("operator-token"))))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve("download-signing-key"))))
                .isEqualTo("rw-------");

        try (TestServer second = new TestServer(dataDir, Duration.ofHours(1))) {
            assertThat(second.operatorToken).isEqualTo(token);
            assertThat(second.get("/api/robots/" + robotId).status()).isEqualTo(200);
        }
    }

    @Test
    void durationsParseTheWayOperatorsTypeThem() {
        assertThat(DurationConverter.parse("15s")).isEqualTo(Duration.ofSeconds(15));
        assertThat(DurationConverter.parse("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(DurationConverter.parse("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(DurationConverter.parse("PT2M")).isEqualTo(Duration.ofMinutes(2));
    }
}
