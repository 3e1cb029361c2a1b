package io.github.flinkredis.connector.types.hash;

import io.github.flinkredis.connector.config.RedisDataType;
import io.github.flinkredis.connector.config.RedisWriteOptions;
import io.github.flinkredis.connector.types.spi.RedisRowColumns;
import io.github.flinkredis.connector.types.spi.RedisRowMutations;
import io.github.flinkredis.connector.types.spi.RedisTypeHandler;
import io.github.flinkredis.connector.types.spi.RedisTypeWriter;
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

    // ---- writes ----

    @Override
    public RedisTypeWriter writer(RedisWriteOptions options) {
        return new RedisHashWriter(options.writeMode());
    }

    @Override
    public RedisRowMutations rowMutations(RedisRowColumns columns) {
        return new RedisHashRowMutations(columns);
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
