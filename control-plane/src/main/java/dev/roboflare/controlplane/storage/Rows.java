package dev.roboflare.controlplane.storage;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;

/** Small JDBC conveniences shared by the table classes. */
final class Rows {
    private Rows() {
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
