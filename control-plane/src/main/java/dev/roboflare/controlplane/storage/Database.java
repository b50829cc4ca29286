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
 * The migrations are portable SQL and run unchanged on SQLite and PostgreSQL, except the few a portable statement
 * cannot express (SQLite cannot drop a constraint), which live in db/migration-sqlite and db/migration-postgresql
 * under the same version number. The one behavioural difference the rest of the code sees is {@link Dialect}.
 */
public final class Database implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Database.class);

    /** What differs between the two databases for the code above the table classes. */
    public enum Dialect {
        /** One writer at a time (IMMEDIATE transactions): a read inside a write transaction is already exclusive. */
        SQLITE,
        /** Many writers: rows another instance works on are skipped with SELECT ... FOR UPDATE SKIP LOCKED. */
        POSTGRESQL
    }

    private final HikariDataSource pool;
    private final Dialect dialect;

    private Database(HikariDataSource pool, Dialect dialect) {
        this.pool = pool;
        this.dialect = dialect;
    }

    /** {@code jdbc:postgresql://...} or {@code jdbc:sqlite:FILE}; user and password may be null. */
    public static Database open(String jdbcUrl, String user, String password) {
        if (jdbcUrl.startsWith("jdbc:sqlite:")) {
            return openSqlite(Path.of(jdbcUrl.substring("jdbc:sqlite:".length())));
        }
        if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("--database-url must start with jdbc:postgresql:// or jdbc:sqlite:, got "
                    + jdbcUrl.replaceAll("password=[^&]*", "password=***"));
        }
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(jdbcUrl);
        if (user != null) {
            hikari.setUsername(user);
        }
        if (password != null) {
            hikari.setPassword(password);
        }
        hikari.setPoolName("postgresql");
        // The JDBC batches left (Rows.batch: UPDATEs, small INSERTs) go out as multi-row statements where they can.
        hikari.addDataSourceProperty("reWriteBatchedInserts", "true");
        hikari.setMaximumPoolSize(10);
        hikari.setMetricRegistry(io.micrometer.core.instrument.Metrics.globalRegistry); // hikaricp_connections_*
        // READ COMMITTED (the default) plus row locks where a decision depends on a row another instance may change.
        HikariDataSource pool = migratedPool(hikari, Dialect.POSTGRESQL);
        log.info("database {} ready (PostgreSQL)", jdbcUrl.replaceAll("password=[^&]*", "password=***"));
        return new Database(pool, Dialect.POSTGRESQL);
    }

    /** A pool with the schema migrated; closed again when the migration fails, so nothing leaks. */
    private static HikariDataSource migratedPool(HikariConfig hikari, Dialect dialect) {
        HikariDataSource pool = new HikariDataSource(hikari);
        try {
            migrate(pool, dialect);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        return pool;
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
        hikari.setMetricRegistry(io.micrometer.core.instrument.Metrics.globalRegistry); // hikaricp_connections_*
        HikariDataSource pool = migratedPool(hikari, Dialect.SQLITE);
        log.info("database {} ready (SQLite, WAL)", file.toAbsolutePath().normalize());
        return new Database(pool, Dialect.SQLITE);
    }

    private static void migrate(DataSource dataSource, Dialect dialect) {
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration",
                        "classpath:db/migration-" + dialect.name().toLowerCase(java.util.Locale.ROOT))
                .load()
                .migrate();
    }

    public DataSource dataSource() {
        return pool;
    }

    public Dialect dialect() {
        return dialect;
    }

    @Override
    public void close() {
        pool.close();
    }
}
