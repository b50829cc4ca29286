package dev.roboflare.controlplane.storage;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/** Runs a unit of work on one connection: either in one transaction, or as plain autocommit reads. */
public final class Transactor {
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
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StorageException(e);
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
