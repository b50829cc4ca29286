package dev.roboflare.controlplane.storage;

import java.sql.SQLException;

final class SqlErrors {
    private SqlErrors() {
    }

    static boolean isUniqueViolation(SQLException e) {
        // PostgreSQL: SQLState 23505. SQLite JDBC: error code 19 (SQLITE_CONSTRAINT) with a UNIQUE/PRIMARY KEY message.
        if ("23505".equals(e.getSQLState())) {
            return true;
        }
        String message = String.valueOf(e.getMessage());
        return e.getErrorCode() == 19
                && (message.contains("UNIQUE constraint") || message.contains("PRIMARYKEY") || message.contains("PRIMARY KEY"));
    }
}
