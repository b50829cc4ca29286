package dev.roboflare.controlplane.storage;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The connection pool plus the schema, migrated by Flyway from classpath:db/migration on every start.
 * The migrations are portable SQL; only this class knows it is talking to SQLite.
 */
public final class Database implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Database.class);

    private final HikariDataSource pool;

    private Database(HikariDataSource pool) {
        this.pool = pool;
    }

    public static Database openSqlite(Path file) {
        SQLiteConfig sqlite = new SQLiteConfig();
        // WAL lets readers (agent polls) run while a writer appends events.
        sqlite.setJournalMode(SQLiteConfig.JournalMode.WAL);
        // Writers wait for each other instead of failing with SQLITE_BUSY.
        sqlite.setBusyTimeout(10_000);
        sqlite.enforceForeignKeys(true);
        // Explicit transactions take the write lock up front: a read-then-write transaction can then never
        // fail half way on a lock upgrade, and check-then-append (e.g. "still dispatched?") is serialized.
        sqlite.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        SQLiteDataSource sqliteSource = new SQLiteDataSource(sqlite);
        sqliteSource.setUrl("jdbc:sqlite:" + file.toAbsolutePath().normalize());

        HikariConfig hikari = new HikariConfig();
        hikari.setDataSource(sqliteSource);
        hikari.setPoolName("sqlite");
        hikari.setMaximumPoolSize(4);
        HikariDataSource pool = new HikariDataSource(hikari);
        try {
            migrate(pool);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        log.info("database {} ready (SQLite, WAL)", file.toAbsolutePath().normalize());
        return new Database(pool);
    }

    private static void migrate(DataSource dataSource) {
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .load()
                .migrate();
    }

    public DataSource dataSource() {
        return pool;
    }

    @Override
    public void close() {
        pool.close();
    }
}
