package io.github.flinkredis.connector.types.timeseries;

import io.github.flinkredis.connector.config.RedisDataType;
import io.github.flinkredis.connector.config.RedisWriteOptions;
import io.github.flinkredis.connector.types.spi.RedisRowColumns;
import io.github.flinkredis.connector.types.spi.RedisRowMutations;
import io.github.flinkredis.connector.types.spi.RedisTypeHandler;
import io.github.flinkredis.connector.types.spi.RedisTypeWriter;
import org.apache.flink.annotation.Internal;

/** Data type {@code timeseries}: one row per sample (or bucket) of a RedisTimeSeries series. */
@Internal
public final class RedisTimeSeriesType implements RedisTypeHandler {

    /** The one instance. */
    public static final RedisTimeSeriesType INSTANCE = new RedisTimeSeriesType();

    private RedisTimeSeriesType() {}

    @Override
    public RedisDataType dataType() {
        return RedisDataType.TIMESERIES;
    }

    // ---- writes ----

    @Override
    public RedisTypeWriter writer(RedisWriteOptions options) {
        return new RedisTimeSeriesWriter(options.duplicatePolicy());
    }

    @Override
    public RedisRowMutations rowMutations(RedisRowColumns columns) {
        return new RedisTimeSeriesRowMutations(columns);
    }

    @Override
    public boolean appendOnly() {
        return false;
    }

    @Override
    public boolean writesEntryIds() {
        return false;
    }
}
