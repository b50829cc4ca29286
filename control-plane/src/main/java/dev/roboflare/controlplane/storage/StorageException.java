package dev.roboflare.controlplane.storage;

import java.sql.SQLException;

/** A database failure nobody can fix by changing the request: reported as 500 and logged. */
public final class StorageException extends RuntimeException {
    public StorageException(SQLException cause) {
        super(cause.getMessage(), cause);
    }

    /** True when the insert lost a race against a UNIQUE / PRIMARY KEY constraint (SQLite and PostgreSQL). */
    public boolean isUniqueViolation() {
        return SqlErrors.isUniqueViolation((SQLException) getCause());
    }
}
