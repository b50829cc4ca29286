package dev.roboflare.controlplane.storage;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** Runs a unit of work on one connection: either in one transaction, or as plain autocommit reads. */
public final class Transactor {
    /** What to do once the current thread's transaction has committed (dropped if it rolls back). */
    private static final ThreadLocal<List<Runnable>> AFTER_COMMIT = new ThreadLocal<>();

    private final DataSource dataSource;
    private final Database.Dialect dialect;

    public Transactor(DataSource dataSource, Database.Dialect dialect) {
        this.dataSource = dataSource;
        this.dialect = dialect;
    }

    public Database.Dialect dialect() {
        return dialect;
    }

    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Commits when {@code work} returns, rolls back when it throws (including a RequestRejected). */
    public <T> T inTransaction(Work<T> work) {
        List<Runnable> outer = AFTER_COMMIT.get();
        List<Runnable> afterCommit = new ArrayList<>();
        AFTER_COMMIT.set(afterCommit);
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                afterCommit.forEach(Runnable::run);
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StorageException(e);
        } finally {
            AFTER_COMMIT.set(outer);
        }
    }

    /**
     * Runs {@code action} once the transaction this thread is in commits, or now outside one: what a metric counts
     * is then what the database kept, not what a rolled-back attempt wrote.
     */
    public static void afterCommit(Runnable action) {
        List<Runnable> pending = AFTER_COMMIT.get();
        if (pending == null) {
            action.run();
        } else {
            pending.add(action);
        }
    }

    public <T> T read(Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new StorageException(e);
        }
    }
}
