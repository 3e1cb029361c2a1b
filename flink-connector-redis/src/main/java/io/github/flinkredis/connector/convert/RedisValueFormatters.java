package io.github.flinkredis.connector.convert;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalTime;
import org.apache.flink.annotation.Internal;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.DecimalType;
import org.apache.flink.table.types.logical.LocalZonedTimestampType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.TimestampType;

/**
 * Writes Flink column values as the bytes Redis stores: the inverse of {@link RedisValueParsers},
 * so that what a sink writes a scan reads back as the same value.
 *
 * <ul>
 *   <li>CHAR, VARCHAR, STRING: UTF-8; BINARY, VARBINARY, BYTES: the raw bytes;
 *   <li>BOOLEAN: {@code true} / {@code false}; integers: decimal; FLOAT, DOUBLE: Java's shortest
 *       decimal form ({@code 1.5}, {@code 1.0E-5}, {@code Infinity}); DECIMAL: plain decimal;
 *   <li>DATE, TIME, TIMESTAMP: ISO-8601 ({@code 2024-05-01}, {@code 10:00:00.5}, {@code
 *       2024-05-01T10:00}); TIMESTAMP_LTZ: an ISO-8601 instant in UTC ({@code
 *       2024-05-01T10:00:00Z}).
 * </ul>
 */
@Internal
public final class RedisValueFormatters {

    private RedisValueFormatters() {}

    /** Writes the non-null value at one position of a row. */
    @FunctionalInterface
    public interface Formatter extends Serializable {
        byte[] format(RowData row, int pos);
    }

    /** Whether values of this type can be written. */
    public static boolean isSupported(LogicalType type) {
        return RedisValueParsers.isSupported(type);
    }

    /**
     * The formatter of {@code type}.
     *
     * @throws IllegalArgumentException for a type that cannot be written
     */
    public static Formatter create(LogicalType type) {
        switch (type.getTypeRoot()) {
            case CHAR:
            case VARCHAR:
                return (row, pos) -> row.getString(pos).toBytes();
            case BINARY:
            case VARBINARY:
                return RowData::getBinary;
            case BOOLEAN:
                return (row, pos) -> ascii(row.getBoolean(pos) ? "true" : "false");
            case TINYINT:
                return (row, pos) -> ascii(Byte.toString(row.getByte(pos)));
            case SMALLINT:
                return (row, pos) -> ascii(Short.toString(row.getShort(pos)));
            case INTEGER:
                return (row, pos) -> ascii(Integer.toString(row.getInt(pos)));
            case BIGINT:
                return (row, pos) -> ascii(Long.toString(row.getLong(pos)));
            case FLOAT:
                return (row, pos) -> ascii(Float.toString(row.getFloat(pos)));
            case DOUBLE:
                return (row, pos) -> ascii(Double.toString(row.getDouble(pos)));
            case DECIMAL:
                {
                    DecimalType d = (DecimalType) type;
                    int p = d.getPrecision();
                    int s = d.getScale();
                    return (row, pos) ->
                            ascii(row.getDecimal(pos, p, s).toBigDecimal().toPlainString());
                }
            case DATE:
                return (row, pos) -> ascii(LocalDate.ofEpochDay(row.getInt(pos)).toString());
            case TIME_WITHOUT_TIME_ZONE:
                return (row, pos) ->
                        ascii(LocalTime.ofNanoOfDay(row.getInt(pos) * 1_000_000L).toString());
            case TIMESTAMP_WITHOUT_TIME_ZONE:
                {
                    int precision = ((TimestampType) type).getPrecision();
                    return (row, pos) ->
                            ascii(row.getTimestamp(pos, precision).toLocalDateTime().toString());
                }
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
                {
                    int precision = ((LocalZonedTimestampType) type).getPrecision();
                    return (row, pos) ->
                            ascii(row.getTimestamp(pos, precision).toInstant().toString());
                }
            default:
                throw new IllegalArgumentException("Cannot write a value of type " + type);
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
