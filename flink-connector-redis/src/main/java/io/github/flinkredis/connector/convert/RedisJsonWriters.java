package io.github.flinkredis.connector.convert;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.Base64;
import java.util.List;
import org.apache.flink.annotation.Internal;
import org.apache.flink.table.data.ArrayData;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.MapData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.types.logical.ArrayType;
import org.apache.flink.table.types.logical.DecimalType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.MapType;
import org.apache.flink.table.types.logical.RowType;

/**
 * Writes Flink rows as JSON documents with Jackson's streaming generator: the inverse of {@link
 * RedisJsonParsers}, so that a document written is read back as the same row. Numbers and booleans
 * are JSON numbers and booleans ({@code DECIMAL} exact), strings and the ISO-8601 forms of dates
 * and times are JSON strings ({@code TIMESTAMP_LTZ} as an instant in UTC), {@code BYTES} base64,
 * ROW an object, ARRAY an array, MAP an object; NULL is JSON {@code null}.
 *
 * <p>Not serializable: made where the sink writer runs.
 */
@Internal
public final class RedisJsonWriters {

    private static final JsonFactory FACTORY = new JsonFactory();

    private final String[] names;
    private final int[] positions;
    private final Writer[] writers;
    private final RowData.FieldGetter[] getters;

    /**
     * A writer of the document made of the columns at {@code positions} of rows of {@code row}, as
     * members named as the columns.
     */
    public RedisJsonWriters(RowType row, int[] positions) {
        this.positions = positions;
        this.names = new String[positions.length];
        this.writers = new Writer[positions.length];
        this.getters = new RowData.FieldGetter[positions.length];
        List<String> fieldNames = row.getFieldNames();
        for (int i = 0; i < positions.length; i++) {
            names[i] = fieldNames.get(positions[i]);
            writers[i] = writer(row.getTypeAt(positions[i]));
            getters[i] = RowData.createFieldGetter(row.getTypeAt(positions[i]), positions[i]);
        }
    }

    /** The UTF-8 JSON text of the document of {@code row}. */
    public byte[] write(RowData row) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            for (int i = 0; i < positions.length; i++) {
                g.writeFieldName(names[i]);
                writeOrNull(g, writers[i], getters[i].getFieldOrNull(row));
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Writes one non-null value, in Flink's internal representation. */
    @FunctionalInterface
    private interface Writer {
        void write(JsonGenerator g, Object value) throws IOException;
    }

    private static Writer writer(LogicalType type) {
        switch (type.getTypeRoot()) {
            case CHAR:
            case VARCHAR:
                return (g, v) -> g.writeString(v.toString());
            case BOOLEAN:
                return (g, v) -> g.writeBoolean((Boolean) v);
            case TINYINT:
            case SMALLINT:
            case INTEGER:
            case BIGINT:
                return (g, v) -> g.writeNumber(((Number) v).longValue());
            case FLOAT:
            case DOUBLE:
                return (g, v) -> g.writeNumber(((Number) v).doubleValue());
            case DECIMAL:
                if (((DecimalType) type).getPrecision() > 15) {
                    // RedisJSON keeps numbers as doubles, exact to 15 digits: a string is exact
                    return (g, v) ->
                            g.writeString(((DecimalData) v).toBigDecimal().toPlainString());
                }
                return (g, v) -> g.writeNumber(((DecimalData) v).toBigDecimal());
            case DATE:
                return (g, v) -> g.writeString(LocalDate.ofEpochDay((Integer) v).toString());
            case TIME_WITHOUT_TIME_ZONE:
                return (g, v) ->
                        g.writeString(LocalTime.ofNanoOfDay((Integer) v * 1_000_000L).toString());
            case TIMESTAMP_WITHOUT_TIME_ZONE:
                return (g, v) -> g.writeString(((TimestampData) v).toLocalDateTime().toString());
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
                return (g, v) -> g.writeString(((TimestampData) v).toInstant().toString());
            case BINARY:
            case VARBINARY:
                return (g, v) -> g.writeString(Base64.getEncoder().encodeToString((byte[]) v));
            case ROW:
                return row((RowType) type);
            case ARRAY:
                return array((ArrayType) type);
            case MAP:
                return map((MapType) type);
            default:
                throw new IllegalArgumentException("Cannot write a value of type " + type);
        }
    }

    /** A ROW as a JSON object of its fields, by name (a NULL field as JSON null). */
    private static Writer row(RowType rowType) {
        int n = rowType.getFieldCount();
        Writer[] fields = new Writer[n];
        RowData.FieldGetter[] getters = new RowData.FieldGetter[n];
        for (int i = 0; i < n; i++) {
            fields[i] = writer(rowType.getTypeAt(i));
            getters[i] = RowData.createFieldGetter(rowType.getTypeAt(i), i);
        }
        List<String> names = rowType.getFieldNames();
        return (g, v) -> {
            g.writeStartObject();
            for (int i = 0; i < n; i++) {
                g.writeFieldName(names.get(i));
                writeOrNull(g, fields[i], getters[i].getFieldOrNull((RowData) v));
            }
            g.writeEndObject();
        };
    }

    /** An ARRAY as a JSON array (a NULL element as JSON null). */
    private static Writer array(ArrayType arrayType) {
        LogicalType elementType = arrayType.getElementType();
        Writer element = writer(elementType);
        ArrayData.ElementGetter getter = ArrayData.createElementGetter(elementType);
        return (g, v) -> {
            ArrayData array = (ArrayData) v;
            g.writeStartArray();
            for (int i = 0; i < array.size(); i++) {
                writeOrNull(g, element, getter.getElementOrNull(array, i));
            }
            g.writeEndArray();
        };
    }

    /** A MAP as a JSON object, its keys as text; a NULL key fails. */
    private static Writer map(MapType mapType) {
        Writer value = writer(mapType.getValueType());
        ArrayData.ElementGetter keyGetter = ArrayData.createElementGetter(mapType.getKeyType());
        ArrayData.ElementGetter valueGetter = ArrayData.createElementGetter(mapType.getValueType());
        return (g, v) -> {
            MapData map = (MapData) v;
            ArrayData keys = map.keyArray();
            ArrayData values = map.valueArray();
            g.writeStartObject();
            for (int i = 0; i < map.size(); i++) {
                Object key = keyGetter.getElementOrNull(keys, i);
                if (key == null) {
                    throw new IllegalArgumentException(
                            "A MAP with a NULL key cannot be written as a JSON object");
                }
                g.writeFieldName(key.toString());
                writeOrNull(g, value, valueGetter.getElementOrNull(values, i));
            }
            g.writeEndObject();
        };
    }

    private static void writeOrNull(JsonGenerator g, Writer writer, Object value)
            throws IOException {
        if (value == null) {
            g.writeNull();
        } else {
            writer.write(g, value);
        }
    }

    /** Whether values of this type can be written as JSON. */
    public static boolean isSupported(LogicalType type) {
        return RedisJsonParsers.isSupported(type);
    }
}
