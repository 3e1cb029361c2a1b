package io.github.flinkredis.connector.types.json;

import io.github.flinkredis.connector.config.RedisDataType;
import io.github.flinkredis.connector.config.RedisWriteOptions;
import io.github.flinkredis.connector.types.spi.RedisRowColumns;
import io.github.flinkredis.connector.types.spi.RedisRowMutations;
import io.github.flinkredis.connector.types.spi.RedisTypeHandler;
import io.github.flinkredis.connector.types.spi.RedisTypeWriter;
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

    // ---- writes ----

    @Override
    public RedisTypeWriter writer(RedisWriteOptions options) {
        return new RedisJsonWriter(options.writeMode());
    }

    @Override
    public RedisRowMutations rowMutations(RedisRowColumns columns) {
        return new RedisJsonRowMutations(columns);
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
