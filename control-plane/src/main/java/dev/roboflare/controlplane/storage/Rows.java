package dev.roboflare.controlplane.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The JDBC ceremony once, so a table class holds only its SQL and its mapping: {@link #query}, {@link #one},
 * {@link #update} and {@link #batch}. Parameters bind by type: String, Long, Integer, Double, an Instant as the
 * BIGINT microseconds every timestamp column holds, a String[] as a PostgreSQL varchar array (for {@code = ANY (?)})
 * and null as SQL NULL; anything else is a programming error.
 */
final class Rows {
    /** Rows per JDBC batch (and per IN (...) chunk): large enough for fan-outs, small enough for any driver. */
    static final int BATCH = 1000;

    private Rows() {
    }

    @FunctionalInterface
    interface Mapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    @FunctionalInterface
    interface Binder<R> {
        Object[] params(R row);
    }

    static <T> List<T> query(Connection c, String sql, Mapper<T> mapper, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                List<T> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(mapper.map(rs));
                }
                return out;
            }
        }
    }

    /** The first row; empty without one, or when the mapper makes null of it (an aggregate over no rows). */
    static <T> Optional<T> one(Connection c, String sql, Mapper<T> mapper, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.ofNullable(mapper.map(rs)) : Optional.empty();
            }
        }
    }

    /** Rows changed. */
    static int update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            return ps.executeUpdate();
        }
    }

    /** One statement for many rows, sent {@link #BATCH} at a time. */
    static <R> void batch(Connection c, String sql, Collection<R> rows, Binder<R> binder) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int pending = 0;
            for (R row : rows) {
                bind(ps, binder.params(row));
                ps.addBatch();
                if (++pending == BATCH) {
                    ps.executeBatch();
                    pending = 0;
                }
            }
            if (pending > 0) {
                ps.executeBatch();
            }
        }
    }

    /** A column of {@link #insertAll}: its name and its PostgreSQL array element type (varchar, bigint, integer). */
    record Column(String name, String pgType) {
    }

    /** Rows per INSERT ... SELECT FROM unnest(...) on PostgreSQL: one statement binds one array per column. */
    static final int UNNEST = 10_000;

    /**
     * Inserts many rows. SQLite: one prepared INSERT in {@link #batch}es (the rows never leave the process).
     * PostgreSQL: one {@code INSERT ... SELECT * FROM unnest(?, ?, ...)} per {@link #UNNEST} rows, each column's
     * values as one array: a 100,000-robot fan-out is ten statements per table instead of 100,000 parsed and
     * planned rows (the batch's multi-row INSERTs bind eleven parameters a row). Values bind as in {@link #bind}.
     */
    static <R> void insertAll(Connection c, String table, List<Column> columns, Collection<R> rows, Binder<R> binder)
            throws SQLException {
        StringBuilder names = new StringBuilder();
        StringBuilder marks = new StringBuilder();
        StringBuilder arrays = new StringBuilder();
        for (Column col : columns) {
            String sep = names.length() == 0 ? "" : ", ";
            names.append(sep).append(col.name());
            marks.append(sep).append('?');
            arrays.append(sep).append("?::").append(col.pgType()).append("[]");
        }
        if (!"PostgreSQL".equals(c.getMetaData().getDatabaseProductName())) {
            batch(c, "INSERT INTO " + table + " (" + names + ") VALUES (" + marks + ")", rows, binder);
            return;
        }
        String sql = "INSERT INTO " + table + " (" + names + ") SELECT * FROM unnest(" + arrays + ")";
        List<R> all = List.copyOf(rows);
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int from = 0; from < all.size(); from += UNNEST) {
                List<R> chunk = all.subList(from, Math.min(all.size(), from + UNNEST));
                Object[][] byColumn = new Object[columns.size()][chunk.size()];
                for (int r = 0; r < chunk.size(); r++) {
                    Object[] values = binder.params(chunk.get(r));
                    for (int k = 0; k < values.length; k++) {
                        byColumn[k][r] = values[k] instanceof Instant t ? (Object) Times.toMicros(t) : values[k];
                    }
                }
                for (int k = 0; k < columns.size(); k++) {
                    ps.setArray(k + 1, c.createArrayOf(columns.get(k).pgType(), byColumn[k]));
                }
                ps.executeUpdate();
            }
        }
    }

    private static void bind(PreparedStatement ps, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            int index = i + 1;
            Object p = params[i];
            if (p == null) {
                ps.setNull(index, Types.NULL); // the column's own type: PostgreSQL infers it from the statement
            } else if (p instanceof String s) {
                ps.setString(index, s);
            } else if (p instanceof Long l) {
                ps.setLong(index, l);
            } else if (p instanceof Integer n) {
                ps.setInt(index, n);
            } else if (p instanceof Double d) {
                ps.setDouble(index, d);
            } else if (p instanceof Instant t) {
                ps.setLong(index, Times.toMicros(t));
            } else if (p instanceof String[] values) {
                ps.setArray(index, ps.getConnection().createArrayOf("varchar", values));
            } else {
                throw new IllegalArgumentException("cannot bind a " + p.getClass().getName() + " (parameter " + index
                        + ")");
            }
        }
    }

    static void setNullableMicros(PreparedStatement ps, int index, Instant instant) throws SQLException {
        if (instant == null) {
            ps.setNull(index, Types.BIGINT);
        } else {
            ps.setLong(index, Times.toMicros(instant));
        }
    }

    static Instant nullableInstant(ResultSet rs, String column) throws SQLException {
        long micros = rs.getLong(column);
        return rs.wasNull() ? null : Times.fromMicros(micros);
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        return Times.fromMicros(rs.getLong(column));
    }
}
