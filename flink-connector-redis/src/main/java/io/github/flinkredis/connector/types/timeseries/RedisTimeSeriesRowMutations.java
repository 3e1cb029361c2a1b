package io.github.flinkredis.connector.types.timeseries;

import io.github.flinkredis.connector.types.spi.RedisMutationFactory;
import io.github.flinkredis.connector.types.spi.RedisRowColumns;
import io.github.flinkredis.connector.types.spi.RedisRowMutations;
import org.apache.flink.annotation.Internal;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.utils.LogicalTypeChecks;
import org.apache.flink.types.RowKind;

/**
 * A timeseries row: a sample at its timestamp column (TIMESTAMP_LTZ, TIMESTAMP as UTC, or BIGINT
 * milliseconds) with its value column (any numeric type, as a double) and its label columns (none
 * NULL); a DELETE removes the sample at the timestamp.
 */
@Internal
final class RedisTimeSeriesRowMutations implements RedisRowMutations {

    private final RedisRowColumns columns;
    private final int timestamp;
    private final int value;

    RedisTimeSeriesRowMutations(RedisRowColumns columns) {
        this.columns = columns;
        this.timestamp = columns.timestamp();
        this.value = columns.score();
    }

    @Override
    public <M> M upsert(RowData row, byte[] key, RedisMutationFactory<M> mutations) {
        long millis = sampleTimestamp(row, key);
        if (row.isNullAt(value)) {
            throw columns.nullIn(value, key, "value");
        }
        int[] labelColumns = columns.labelColumns();
        byte[][] labels = new byte[labelColumns.length][];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = columns.required(row, labelColumns[i], key, "label");
        }
        return mutations.sample(key, millis, sampleValue(row), columns.labelNames(), labels);
    }

    @Override
    public <M> M delete(RowData row, byte[] key, RowKind kind, RedisMutationFactory<M> mutations) {
        return mutations.deleteSample(key, sampleTimestamp(row, key));
    }

    /** The sample's timestamp in milliseconds: TIMESTAMP_LTZ, TIMESTAMP (as UTC) or BIGINT. */
    private long sampleTimestamp(RowData row, byte[] key) {
        if (row.isNullAt(timestamp)) {
            throw columns.nullIn(timestamp, key, "timestamp");
        }
        LogicalType type = columns.rowType().getTypeAt(timestamp);
        switch (type.getTypeRoot()) {
            case BIGINT:
                return row.getLong(timestamp);
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
            case TIMESTAMP_WITHOUT_TIME_ZONE:
                return row.getTimestamp(timestamp, LogicalTypeChecks.getPrecision(type))
                        .getMillisecond();
            default:
                throw new IllegalStateException("A sample's timestamp cannot be " + type);
        }
    }

    /** The sample's value as a double, from any numeric column. */
    private double sampleValue(RowData row) {
        LogicalType type = columns.rowType().getTypeAt(value);
        switch (type.getTypeRoot()) {
            case DOUBLE:
                return row.getDouble(value);
            case FLOAT:
                return row.getFloat(value);
            case TINYINT:
                return row.getByte(value);
            case SMALLINT:
                return row.getShort(value);
            case INTEGER:
                return row.getInt(value);
            case BIGINT:
                return row.getLong(value);
            case DECIMAL:
                return row.getDecimal(
                                value,
                                LogicalTypeChecks.getPrecision(type),
                                LogicalTypeChecks.getScale(type))
                        .toBigDecimal()
                        .doubleValue();
            default:
                throw new IllegalStateException("A sample's value cannot be " + type);
        }
    }
}
