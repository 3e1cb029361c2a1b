package io.github.flinkredis.connector.types.arrow;

import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.flink.annotation.Internal;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.types.logical.ArrayType;
import org.apache.flink.table.types.logical.DecimalType;
import org.apache.flink.table.types.logical.LocalZonedTimestampType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.MapType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.logical.TimestampType;

/**
 * Flink's logical types as Arrow fields: the mapping of a columnar table's batches (docs/arrow.md).
 *
 * <table>
 *   <tr><th>Flink</th><th>Arrow</th></tr>
 *   <tr><td>BOOLEAN</td><td>Bool</td></tr>
 *   <tr><td>TINYINT, SMALLINT, INT, BIGINT</td><td>Int(8, 16, 32, 64, signed)</td></tr>
 *   <tr><td>FLOAT, DOUBLE</td><td>FloatingPoint(SINGLE, DOUBLE)</td></tr>
 *   <tr><td>DECIMAL(p, s), p &le; 38</td><td>Decimal(p, s, 128)</td></tr>
 *   <tr><td>CHAR, VARCHAR, STRING</td><td>Utf8</td></tr>
 *   <tr><td>BINARY, VARBINARY, BYTES</td><td>Binary</td></tr>
 *   <tr><td>DATE</td><td>Date(DAY)</td></tr>
 *   <tr><td>TIME(p)</td><td>Time(MILLISECOND, 32)</td></tr>
 *   <tr><td>TIMESTAMP(p)</td><td>Timestamp(MILLISECOND for p &le; 3, MICROSECOND for p &le; 6,
 *       else NANOSECOND; no time zone)</td></tr>
 *   <tr><td>TIMESTAMP_LTZ(p)</td><td>the same unit, time zone "UTC"</td></tr>
 *   <tr><td>ARRAY&lt;T&gt;</td><td>List with child "element"</td></tr>
 *   <tr><td>MAP&lt;K, V&gt;</td><td>Map (entries: struct of non-null "key" and "value")</td></tr>
 *   <tr><td>ROW&lt;...&gt;</td><td>Struct of the row's fields</td></tr>
 * </table>
 *
 * <p>A field is nullable as its type is. Other types (INTERVAL, MULTISET, RAW, ...) are refused
 * with a {@link ValidationException} naming the column.
 */
@Internal
public final class RedisArrowTypes {

    /** The time zone of TIMESTAMP_LTZ fields: instants, stored as UTC epoch time. */
    public static final String LTZ_ZONE = "UTC";

    private RedisArrowTypes() {}

    /**
     * The Arrow schema of a table's rows.
     *
     * @throws ValidationException naming the column of a type without an Arrow mapping
     */
    public static Schema schemaOf(RowType rowType) {
        List<Field> fields = new ArrayList<>();
        for (RowType.RowField f : rowType.getFields()) {
            fields.add(fieldOf(f.getName(), f.getType(), f.getName()));
        }
        return new Schema(fields);
    }

    /**
     * The Arrow field of a column {@code name} of {@code type}; {@code path} names it in errors.
     */
    private static Field fieldOf(String name, LogicalType type, String path) {
        List<Field> children = new ArrayList<>();
        switch (type.getTypeRoot()) {
            case ARRAY:
                children.add(fieldOf("element", ((ArrayType) type).getElementType(), path + "[]"));
                break;
            case MAP:
                MapType map = (MapType) type;
                List<Field> entry = new ArrayList<>();
                entry.add(fieldOf("key", map.getKeyType().copy(false), path + ".key"));
                entry.add(fieldOf("value", map.getValueType(), path + ".value"));
                children.add(
                        new Field(
                                "entries",
                                FieldType.notNullable(ArrowType.Struct.INSTANCE),
                                entry));
                break;
            case ROW:
                for (RowType.RowField f : ((RowType) type).getFields()) {
                    children.add(fieldOf(f.getName(), f.getType(), path + "." + f.getName()));
                }
                break;
            default:
                // no children
        }
        return new Field(
                name, new FieldType(type.isNullable(), arrowTypeOf(type, path), null), children);
    }

    private static ArrowType arrowTypeOf(LogicalType type, String path) {
        switch (type.getTypeRoot()) {
            case BOOLEAN:
                return ArrowType.Bool.INSTANCE;
            case TINYINT:
                return new ArrowType.Int(8, true);
            case SMALLINT:
                return new ArrowType.Int(16, true);
            case INTEGER:
                return new ArrowType.Int(32, true);
            case BIGINT:
                return new ArrowType.Int(64, true);
            case FLOAT:
                return new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE);
            case DOUBLE:
                return new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
            case DECIMAL:
                DecimalType decimal = (DecimalType) type;
                return new ArrowType.Decimal(decimal.getPrecision(), decimal.getScale(), 128);
            case CHAR:
            case VARCHAR:
                return ArrowType.Utf8.INSTANCE;
            case BINARY:
            case VARBINARY:
                return ArrowType.Binary.INSTANCE;
            case DATE:
                return new ArrowType.Date(DateUnit.DAY);
            case TIME_WITHOUT_TIME_ZONE:
                return new ArrowType.Time(TimeUnit.MILLISECOND, 32);
            case TIMESTAMP_WITHOUT_TIME_ZONE:
                return new ArrowType.Timestamp(unitOf(((TimestampType) type).getPrecision()), null);
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
                return new ArrowType.Timestamp(
                        unitOf(((LocalZonedTimestampType) type).getPrecision()), LTZ_ZONE);
            case ARRAY:
                return ArrowType.List.INSTANCE;
            case MAP:
                return new ArrowType.Map(false);
            case ROW:
                return ArrowType.Struct.INSTANCE;
            default:
                throw new ValidationException(
                        String.format(
                                "Column '%s' of type %s cannot be stored in an 'arrow' table: its"
                                        + " columns can be of BOOLEAN, numeric, DECIMAL, string,"
                                        + " binary, DATE, TIME, TIMESTAMP, TIMESTAMP_LTZ, ARRAY,"
                                        + " MAP and ROW types.",
                                path, type.asSummaryString()));
        }
    }

    /** The Arrow unit of a timestamp of {@code precision} fractional digits. */
    static TimeUnit unitOf(int precision) {
        if (precision <= 3) {
            return TimeUnit.MILLISECOND;
        }
        return precision <= 6 ? TimeUnit.MICROSECOND : TimeUnit.NANOSECOND;
    }
}
