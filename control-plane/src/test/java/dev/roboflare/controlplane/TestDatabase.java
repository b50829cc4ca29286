package dev.roboflare.controlplane;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * The databases every API test runs against. SQLite lives in the test's data dir; PostgreSQL is the throwaway
 * cluster scripts/test starts (scripts/lib/services/postgres.sh), and each server gets a fresh database in it.
 */
enum TestDatabase {
    SQLITE, POSTGRESQL;

    /** A fresh, empty database: its JDBC URL, or null for SQLite in the data dir. */
    String freshUrl() {
        if (this == SQLITE) {
            return null;
        }
        String name = "rf_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT);
        try (Connection c = DriverManager.getConnection(adminUrl(), user(), password());
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new AssertionError("cannot create a test database in " + adminUrl() + ": " + e.getMessage(), e);
        }
        return adminUrl().replaceFirst("/[^/?]*(\\?.*)?$", "/" + name + "$1");
    }

    static String adminUrl() {
        String url = System.getenv("ROBOFLARE_TEST_PG_URL");
        if (url == null || url.isBlank()) {
            throw new AssertionError("ROBOFLARE_TEST_PG_URL is not set: the PostgreSQL tests need the server that "
                    + "scripts/test starts (scripts/lib/services/postgres.sh); run scripts/test, or start it yourself "
                    + "and export the variables it writes to $RUN_DIR/env");
        }
        return url;
    }

    static String user() {
        return System.getenv("ROBOFLARE_TEST_PG_USER");
    }

    static String password() {
        return System.getenv("ROBOFLARE_TEST_PG_PASSWORD");
    }
}
