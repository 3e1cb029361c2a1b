package io.github.flinkredis.connector.types;

import io.github.flinkredis.connector.config.RedisDataType;
import io.github.flinkredis.connector.types.hash.RedisHashType;
import io.github.flinkredis.connector.types.json.RedisJsonType;
import io.github.flinkredis.connector.types.list.RedisListType;
import io.github.flinkredis.connector.types.set.RedisSetType;
import io.github.flinkredis.connector.types.spi.RedisTypeHandler;
import io.github.flinkredis.connector.types.stream.RedisStreamType;
import io.github.flinkredis.connector.types.string.RedisStringType;
import io.github.flinkredis.connector.types.timeseries.RedisTimeSeriesType;
import io.github.flinkredis.connector.types.zset.RedisSortedSetType;
import org.apache.flink.annotation.Internal;

/**
 * The registry of data types: the one place outside the data types' own packages that switches on
 * the {@code data-type} option. Adding a data type is one new package under {@code types} and one
 * line here (docs/architecture.md).
 */
@Internal
public final class RedisTypes {

    private RedisTypes() {}

    /** The handler of {@code dataType}. */
    public static RedisTypeHandler of(RedisDataType dataType) {
        switch (dataType) {
            case HASH:
                return RedisHashType.INSTANCE;
            case JSON:
                return RedisJsonType.INSTANCE;
            case STRING:
                return RedisStringType.INSTANCE;
            case SET:
                return RedisSetType.INSTANCE;
            case LIST:
                return RedisListType.INSTANCE;
            case ZSET:
                return RedisSortedSetType.INSTANCE;
            case STREAM:
                return RedisStreamType.INSTANCE;
            case TIMESERIES:
                return RedisTimeSeriesType.INSTANCE;
            default:
                throw new IllegalArgumentException("No handler for data type " + dataType);
        }
    }
}
