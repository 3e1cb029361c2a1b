package io.github.flinkredis.connector.types.list;

import io.github.flinkredis.connector.config.RedisDataType;
import io.github.flinkredis.connector.model.RedisReadSpec;
import io.github.flinkredis.connector.types.spi.RedisMemberRead;
import io.github.flinkredis.connector.types.spi.RedisTypeHandler;
import org.apache.flink.annotation.Internal;

/** Data type {@code list}: one row per element of a list, with its index. */
@Internal
public final class RedisListType implements RedisTypeHandler {

    /** The one instance. */
    public static final RedisListType INSTANCE = new RedisListType();

    private RedisListType() {}

    @Override
    public RedisDataType dataType() {
        return RedisDataType.LIST;
    }

    @Override
    public RedisMemberRead memberRead(RedisReadSpec spec) {
        return new RedisListElements(spec);
    }
}
