package dev.roboflare.controlplane.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roboflare.controlplane.storage.Database;
import dev.roboflare.controlplane.storage.RobotRows;
import dev.roboflare.controlplane.storage.Transactor;
import dev.roboflare.controlplane.trust.Organisations;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Presence on a real SQLite database: batched, merged, and written without a read asking for it. */
class RobotPresenceTest {
    @TempDir
    Path dir;

    private Database database;
    private Transactor db;
    private final RobotRows robots = new RobotRows();
    private final Clock clock = Clock.tick(Clock.systemUTC(), Duration.of(1, ChronoUnit.MICROS));

    @BeforeEach
    void open() {
        database = Database.openSqlite(dir.resolve("roboflare.db"));
        db = new Transactor(database.dataSource(), database.dialect());
        db.inTransaction(c -> {
            robots.insert(c, Organisations.DEFAULT, new RobotRows.RobotRow("r1", "flex-1", Instant.now(), null), "a".repeat(64));
            return null;
        });
    }

    @AfterEach
    void close() {
        database.close();
    }

    private RobotRows.RobotRow row() {
        return db.read(c -> robots.find(c, Organisations.DEFAULT, "r1")).orElseThrow();
    }

    @Test
    void aPollIsNotAWriteButTheBatchASecondLaterWritesIt() throws Exception {
        RobotPresence presence = new RobotPresence(db, clock);
        presence.seen("r1");
        assertThat(row().lastSeenAt()).isNull();
        Thread.sleep(RobotPresence.FLUSH_EVERY_MILLIS + 100);
        presence.seen("r1"); // due now: handed to the writer thread, no read involved
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (row().lastSeenAt() == null && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(row().lastSeenAt()).isNotNull();
    }

    @Test
    void reportsWithinOneBatchMergeAsTheUpdatesWould() {
        RobotPresence presence = new RobotPresence(db, clock);
        presence.seen("r1");
        presence.reported("r1", 5L, "applied=1");
        presence.reported("r1", null, null); // a poll without the headers keeps what was reported
        presence.reported("r1", 7L, null);
        presence.flush();
        RobotRows.RobotRow r = row();
        assertThat(r.lastSeenAt()).isNotNull();
        assertThat(r.clockSkewMs()).isEqualTo(7L);
        assertThat(r.agentMetrics()).isEqualTo("applied=1");
        assertThat(r.agentReportedAt()).isNotNull();
    }
}
