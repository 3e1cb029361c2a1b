package io.github.flinkredis.connector.types.timeseries;

import io.github.flinkredis.connector.config.RedisDataType;
import io.github.flinkredis.connector.model.RedisReadSpec;
import io.github.flinkredis.connector.types.spi.RedisMemberRead;
import io.github.flinkredis.connector.types.spi.RedisTypeHandler;
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

    @Override
    public RedisMemberRead memberRead(RedisReadSpec spec) {
        return new RedisTimeSeriesSamples(spec);
    }
}
