package io.github.flinkredis.connector.types.json;

import io.github.flinkredis.connector.config.RedisDataType;
import io.github.flinkredis.connector.model.RedisReadSpec;
import io.github.flinkredis.connector.types.spi.RedisTypeHandler;
import io.github.flinkredis.connector.types.spi.RedisValueRead;
import org.apache.flink.annotation.Internal;

/**
 * Data type {@code json}: one row per key holding a RedisJSON document, columns are its members.
 */
@Internal
public final class RedisJsonType implements RedisTypeHandler {

    /** The one instance. */
    public static final RedisJsonType INSTANCE = new RedisJsonType();

    private RedisJsonType() {}

    @Override
    public RedisDataType dataType() {
        return RedisDataType.JSON;
    }

    // ---- reads of a key's value ----

    @Override
    public RedisValueRead valueRead(RedisReadSpec spec) {
        return new RedisJsonValueRead(spec);
    }
}
