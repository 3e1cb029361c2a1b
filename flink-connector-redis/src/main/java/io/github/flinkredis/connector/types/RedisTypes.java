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
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
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

    /**
     * The data types whose handler passes {@code test}, in the order of {@link
     * RedisDataType#values()}; for messages that list what a feature supports. Not for hot paths.
     */
    public static List<RedisDataType> where(Predicate<RedisTypeHandler> test) {
        List<RedisDataType> types = new ArrayList<>();
        for (RedisDataType t : RedisDataType.values()) {
            if (test.test(of(t))) {
                types.add(t);
            }
        }
        return types;
    }

    /**
     * {@code types} as a sentence lists them: {@code hash, json and string} with {@code " and "} as
     * {@code lastSeparator}.
     */
    public static String sentence(List<RedisDataType> types, String lastSeparator) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < types.size(); i++) {
            if (i > 0) {
                out.append(i == types.size() - 1 ? lastSeparator : ", ");
            }
            out.append(types.get(i));
        }
        return out.toString();
    }
}
