package io.github.flinkredis.connector.types.string;

import io.github.flinkredis.connector.config.RedisDataType;
import io.github.flinkredis.connector.model.RedisReadSpec;
import io.github.flinkredis.connector.types.spi.RedisTypeHandler;
import io.github.flinkredis.connector.types.spi.RedisValueRead;
import org.apache.flink.annotation.Internal;

/** Data type {@code string}: one row per key, its value one column or decoded by a format. */
@Internal
public final class RedisStringType implements RedisTypeHandler {

    /** The one instance. */
    public static final RedisStringType INSTANCE = new RedisStringType();

    private RedisStringType() {}

    @Override
    public RedisDataType dataType() {
        return RedisDataType.STRING;
    }

    // ---- reads of a key's value ----

    @Override
    public RedisValueRead valueRead(RedisReadSpec spec) {
        return new RedisStringValueRead(spec);
    }
}
