package dev.roboflare.controlplane;

import dev.roboflare.protocol.Sha256;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A database from before organisations (schema V20, with rows whose foreign keys point at artifacts and releases)
 * upgrades in place: V22 rebuilds or re-constrains those tables, and every row lands in 'default', where the
 * admin token and the robot's own token find it as before.
 */
class OrganisationMigrationTest {
    static final String SHA = "c".repeat(64);

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void rowsFromBeforeOrganisationsBelongToDefaultAfterTheUpgrade(TestDatabase database) throws Exception {
        Path dataDir = Files.createTempDirectory("roboflare-cp-upgrade");
        String url = database.freshUrl();
        String jdbc = url == null ? "jdbc:sqlite:" + dataDir.resolve("roboflare.db") : url;
        Flyway.configure().dataSource(jdbc, url == null ? null : TestDatabase.user(),
                        url == null ? null : TestDatabase.password())
                .locations("classpath:db/migration", "classpath:db/migration-" + database.name().toLowerCase(Locale.ROOT))
                .target("20").load().migrate();
        String robotToken = "old-robot-token";
        try (Connection c = url == null ? DriverManager.getConnection(jdbc)
                : DriverManager.getConnection(url, TestDatabase.user(), TestDatabase.password());
             Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO artifacts VALUES ('art-1', 'app_tarball', 'lab-app', '" + SHA
                    + "', 3, 'file:x', 1)");
            s.executeUpdate("INSERT INTO releases VALUES ('rel-1', 'art-1', 'lab-app', '1.0.0', '', "
                    + "'{\"entrypoint\": [\"bin/app\"]}', 2)");
            s.executeUpdate("INSERT INTO release_signatures VALUES ('sig-1', 'rel-1', 'k', 'e30=', 'c2ln', 9, 3)");
            s.executeUpdate("INSERT INTO robots (id, name, created_at) VALUES ('rob-1', 'old-arm', 4)");
            s.executeUpdate("INSERT INTO robot_tokens VALUES ('" + Sha256.hex(robotToken) + "', 'rob-1', 4)");
            s.executeUpdate("INSERT INTO deployments VALUES ('dep-1', NULL, 'rel-1', 'robot', 'rob-1', 'rob-1', "
                    + "'k-1', NULL, 5)");
            s.executeUpdate("INSERT INTO deployment_events (deployment_id, seq, event_id, status, detail, reported_by, "
                    + "created_at) VALUES ('dep-1', 1, 'e-1', 'queued', 'created', 'control_plane', 5), "
                    + "('dep-1', 2, 'e-2', 'dispatched', 'dispatched at creation', 'control_plane', 5)");
        }

        try (TestServer server = new TestServer(dataDir, url, Duration.ofHours(1),
                ServerConfig.DEFAULT_IDEMPOTENCY_KEY_TTL)) {
            assertThat(server.get("/api/releases/rel-1").json().get("semver").asText()).isEqualTo("1.0.0");
            assertThat(server.get("/api/releases/rel-1/signatures").json()).hasSize(1);
            assertThat(server.get("/api/robots/rob-1").json().get("name").asText()).isEqualTo("old-arm");
            assertThat(server.get("/api/deployments/dep-1").json().get("status").asText()).isEqualTo("dispatched");
            JsonNode polled = server.get("/api/agent/deployments", robotToken).json().get("deployments");
            assertThat(polled).hasSize(1);
            assertThat(polled.get(0).get("id").asText()).isEqualTo("dep-1");
            // The old constraints are gone: another organisation may now hold the same name, bytes and semver.
            assertThat(server.post("/api/orgs", "{\"name\":\"other\"}").status()).isEqualTo(201);
            String other = server.post("/api/operator-tokens", "{\"name\":\"o\",\"org\":\"other\"}").json()
                    .get("token").asText();
            assertThat(server.get("/api/releases/rel-1", other).status()).isEqualTo(404);
        }
    }
}
