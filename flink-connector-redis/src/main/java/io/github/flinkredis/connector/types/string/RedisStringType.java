package io.github.flinkredis.connector.types.string;

import io.github.flinkredis.connector.config.RedisDataType;
import io.github.flinkredis.connector.config.RedisWriteOptions;
import io.github.flinkredis.connector.types.spi.RedisRowColumns;
import io.github.flinkredis.connector.types.spi.RedisRowMutations;
import io.github.flinkredis.connector.types.spi.RedisTypeHandler;
import io.github.flinkredis.connector.types.spi.RedisTypeWriter;
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

    // ---- writes ----

    @Override
    public RedisTypeWriter writer(RedisWriteOptions options) {
        return new RedisStringWriter(options.writeMode());
    }

    @Override
    public RedisRowMutations rowMutations(RedisRowColumns columns) {
        return new RedisStringRowMutations(columns);
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
