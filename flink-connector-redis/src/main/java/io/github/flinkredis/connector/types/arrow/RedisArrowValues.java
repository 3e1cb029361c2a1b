package io.github.flinkredis.connector.types.arrow;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeMilliVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.MapVector;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.flink.annotation.Internal;
import org.apache.flink.table.data.ArrayData;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.GenericArrayData;
import org.apache.flink.table.data.GenericMapData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.MapData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.types.logical.ArrayType;
import org.apache.flink.table.types.logical.DecimalType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.MapType;
import org.apache.flink.table.types.logical.RowType;

/**
 * Flink's internal values (RowData's: {@link StringData}, {@link DecimalData}, {@link
 * TimestampData}, {@link ArrayData}, ...) set into and read from the Arrow vectors of {@link
 * RedisArrowTypes}' fields, one position at a time.
 */
@Internal
final class RedisArrowValues {

    private RedisArrowValues() {}

    /** Sets a value (or null) at a position of one vector; positions are set in order. */
    interface Writer {
        void write(int index, Object value);
    }

    /** The value at a position of one vector, as Flink's internal data, or null. */
    interface Reader {
        Object read(int index);
    }

    /**
     * A writer of {@code type}'s values into {@code vector} (of {@link RedisArrowTypes}' field).
     */
    static Writer writer(FieldVector vector, LogicalType type) {
        Writer values = valueWriter(vector, type);
        return (index, value) -> {
            if (value == null) {
                if (vector instanceof ListVector list) {
                    list.setNull(index);
                } else if (vector instanceof StructVector struct) {
                    struct.setNull(index);
                } else {
                    vector.setNull(index);
                }
            } else {
                values.write(index, value);
            }
        };
    }

    /** A writer of non-null values. */
    private static Writer valueWriter(FieldVector vector, LogicalType type) {
        switch (type.getTypeRoot()) {
            case BOOLEAN:
                return (i, v) -> ((BitVector) vector).setSafe(i, (Boolean) v ? 1 : 0);
            case TINYINT:
                return (i, v) -> ((TinyIntVector) vector).setSafe(i, (Byte) v);
            case SMALLINT:
                return (i, v) -> ((SmallIntVector) vector).setSafe(i, (Short) v);
            case INTEGER:
                return (i, v) -> ((IntVector) vector).setSafe(i, (Integer) v);
            case BIGINT:
                return (i, v) -> ((BigIntVector) vector).setSafe(i, (Long) v);
            case FLOAT:
                return (i, v) -> ((Float4Vector) vector).setSafe(i, (Float) v);
            case DOUBLE:
                return (i, v) -> ((Float8Vector) vector).setSafe(i, (Double) v);
            case DECIMAL:
                return (i, v) ->
                        ((DecimalVector) vector).setSafe(i, ((DecimalData) v).toBigDecimal());
            case CHAR:
            case VARCHAR:
                return (i, v) -> ((VarCharVector) vector).setSafe(i, ((StringData) v).toBytes());
            case BINARY:
            case VARBINARY:
                return (i, v) -> ((VarBinaryVector) vector).setSafe(i, (byte[]) v);
            case DATE:
                return (i, v) -> ((DateDayVector) vector).setSafe(i, (Integer) v);
            case TIME_WITHOUT_TIME_ZONE:
                return (i, v) -> ((TimeMilliVector) vector).setSafe(i, (Integer) v);
            case TIMESTAMP_WITHOUT_TIME_ZONE:
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
                TimeUnit unit = unitOf(vector);
                return (i, v) ->
                        ((TimeStampVector) vector).setSafe(i, epoch((TimestampData) v, unit));
            case ARRAY:
                return arrayWriter((ListVector) vector, ((ArrayType) type).getElementType());
            case MAP:
                return mapWriter((MapVector) vector, (MapType) type);
            case ROW:
                return rowWriter((StructVector) vector, (RowType) type);
            default:
                throw new IllegalArgumentException("No Arrow vector for " + type);
        }
    }

    private static Writer arrayWriter(ListVector vector, LogicalType elementType) {
        Writer elements = writer(vector.getDataVector(), elementType);
        ArrayData.ElementGetter getter = ArrayData.createElementGetter(elementType);
        return (i, v) -> {
            ArrayData array = (ArrayData) v;
            int start = vector.startNewValue(i);
            for (int e = 0; e < array.size(); e++) {
                elements.write(start + e, getter.getElementOrNull(array, e));
            }
            vector.endValue(i, array.size());
        };
    }

    private static Writer mapWriter(MapVector vector, MapType type) {
        StructVector entries = (StructVector) vector.getDataVector();
        Writer keys = writer((FieldVector) entries.getChildByOrdinal(0), type.getKeyType());
        Writer values = writer((FieldVector) entries.getChildByOrdinal(1), type.getValueType());
        ArrayData.ElementGetter keyGetter = ArrayData.createElementGetter(type.getKeyType());
        ArrayData.ElementGetter valueGetter = ArrayData.createElementGetter(type.getValueType());
        return (i, v) -> {
            MapData map = (MapData) v;
            ArrayData keyArray = map.keyArray();
            ArrayData valueArray = map.valueArray();
            int start = vector.startNewValue(i);
            for (int e = 0; e < map.size(); e++) {
                entries.setIndexDefined(start + e);
                keys.write(start + e, keyGetter.getElementOrNull(keyArray, e));
                values.write(start + e, valueGetter.getElementOrNull(valueArray, e));
            }
            vector.endValue(i, map.size());
        };
    }

    private static Writer rowWriter(StructVector vector, RowType type) {
        List<LogicalType> types = type.getChildren();
        Writer[] fields = new Writer[types.size()];
        RowData.FieldGetter[] getters = new RowData.FieldGetter[types.size()];
        for (int f = 0; f < fields.length; f++) {
            fields[f] = writer((FieldVector) vector.getChildByOrdinal(f), types.get(f));
            getters[f] = RowData.createFieldGetter(types.get(f), f);
        }
        return (i, v) -> {
            RowData row = (RowData) v;
            vector.setIndexDefined(i);
            for (int f = 0; f < fields.length; f++) {
                fields[f].write(i, getters[f].getFieldOrNull(row));
            }
        };
    }

    /** A reader of {@code type}'s values from {@code vector}. */
    static Reader reader(FieldVector vector, LogicalType type) {
        Reader values = valueReader(vector, type);
        return index -> vector.isNull(index) ? null : values.read(index);
    }

    /** A reader of the values at positions that are not null. */
    private static Reader valueReader(FieldVector vector, LogicalType type) {
        switch (type.getTypeRoot()) {
            case BOOLEAN:
                return i -> ((BitVector) vector).get(i) != 0;
            case TINYINT:
                return i -> ((TinyIntVector) vector).get(i);
            case SMALLINT:
                return i -> ((SmallIntVector) vector).get(i);
            case INTEGER:
                return i -> ((IntVector) vector).get(i);
            case BIGINT:
                return i -> ((BigIntVector) vector).get(i);
            case FLOAT:
                return i -> ((Float4Vector) vector).get(i);
            case DOUBLE:
                return i -> ((Float8Vector) vector).get(i);
            case DECIMAL:
                DecimalType decimal = (DecimalType) type;
                return i -> {
                    BigDecimal d = ((DecimalVector) vector).getObject(i);
                    return DecimalData.fromBigDecimal(
                            d, decimal.getPrecision(), decimal.getScale());
                };
            case CHAR:
            case VARCHAR:
                return i -> StringData.fromBytes(((VarCharVector) vector).get(i));
            case BINARY:
            case VARBINARY:
                return i -> ((VarBinaryVector) vector).get(i);
            case DATE:
                return i -> ((DateDayVector) vector).get(i);
            case TIME_WITHOUT_TIME_ZONE:
                return i -> ((TimeMilliVector) vector).get(i);
            case TIMESTAMP_WITHOUT_TIME_ZONE:
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
                TimeUnit unit = unitOf(vector);
                return i -> timestamp(((TimeStampVector) vector).get(i), unit);
            case ARRAY:
                return arrayReader((ListVector) vector, ((ArrayType) type).getElementType());
            case MAP:
                return mapReader((MapVector) vector, (MapType) type);
            case ROW:
                return rowReader((StructVector) vector, (RowType) type);
            default:
                throw new IllegalArgumentException("No Arrow vector for " + type);
        }
    }

    private static Reader arrayReader(ListVector vector, LogicalType elementType) {
        Reader elements = reader(vector.getDataVector(), elementType);
        return i -> {
            int start = vector.getElementStartIndex(i);
            Object[] values = new Object[vector.getElementEndIndex(i) - start];
            for (int e = 0; e < values.length; e++) {
                values[e] = elements.read(start + e);
            }
            return new GenericArrayData(values);
        };
    }

    private static Reader mapReader(MapVector vector, MapType type) {
        StructVector entries = (StructVector) vector.getDataVector();
        Reader keys = reader((FieldVector) entries.getChildByOrdinal(0), type.getKeyType());
        Reader values = reader((FieldVector) entries.getChildByOrdinal(1), type.getValueType());
        return i -> {
            Map<Object, Object> map = new HashMap<>();
            for (int e = vector.getElementStartIndex(i); e < vector.getElementEndIndex(i); e++) {
                map.put(keys.read(e), values.read(e));
            }
            return new GenericMapData(map);
        };
    }

    private static Reader rowReader(StructVector vector, RowType type) {
        List<LogicalType> types = type.getChildren();
        Reader[] fields = new Reader[types.size()];
        for (int f = 0; f < fields.length; f++) {
            fields[f] = reader((FieldVector) vector.getChildByOrdinal(f), types.get(f));
        }
        return i -> {
            GenericRowData row = new GenericRowData(fields.length);
            for (int f = 0; f < fields.length; f++) {
                row.setField(f, fields[f].read(i));
            }
            return row;
        };
    }

    private static TimeUnit unitOf(FieldVector vector) {
        return ((ArrowType.Timestamp) vector.getField().getType()).getUnit();
    }

    /** A timestamp as the count of {@code unit}s since the epoch (UTC, or local wall time). */
    private static long epoch(TimestampData t, TimeUnit unit) {
        long millis = t.getMillisecond();
        int nanos = t.getNanoOfMillisecond();
        switch (unit) {
            case MILLISECOND:
                return millis;
            case MICROSECOND:
                return Math.multiplyExact(millis, 1_000L) + nanos / 1_000;
            default:
                return Math.multiplyExact(millis, 1_000_000L) + nanos;
        }
    }

    private static TimestampData timestamp(long value, TimeUnit unit) {
        switch (unit) {
            case MILLISECOND:
                return TimestampData.fromEpochMillis(value);
            case MICROSECOND:
                return TimestampData.fromEpochMillis(
                        Math.floorDiv(value, 1_000L), (int) Math.floorMod(value, 1_000L) * 1_000);
            default:
                return TimestampData.fromEpochMillis(
                        Math.floorDiv(value, 1_000_000L), (int) Math.floorMod(value, 1_000_000L));
        }
    }
}
