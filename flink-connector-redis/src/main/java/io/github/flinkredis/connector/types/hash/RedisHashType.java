package io.github.flinkredis.connector.types.hash;

import io.github.flinkredis.connector.config.RedisDataType;
import io.github.flinkredis.connector.model.RedisReadSpec;
import io.github.flinkredis.connector.types.spi.RedisTypeHandler;
import io.github.flinkredis.connector.types.spi.RedisValueRead;
import org.apache.flink.annotation.Internal;

/** Data type {@code hash}: one row per key, columns are hash fields by name. */
@Internal
public final class RedisHashType implements RedisTypeHandler {

    /** The one instance. */
    public static final RedisHashType INSTANCE = new RedisHashType();

    private RedisHashType() {}

    @Override
    public RedisDataType dataType() {
        return RedisDataType.HASH;
    }

    // ---- reads of a key's value ----

    @Override
    public RedisValueRead valueRead(RedisReadSpec spec) {
        return new RedisHashValueRead(spec);
    }
}
