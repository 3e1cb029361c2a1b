package io.github.flinkredis.connector.types.list;

import io.github.flinkredis.connector.config.RedisDataType;
import io.github.flinkredis.connector.config.RedisWriteOptions;
import io.github.flinkredis.connector.types.spi.RedisRowColumns;
import io.github.flinkredis.connector.types.spi.RedisRowMutations;
import io.github.flinkredis.connector.types.spi.RedisTypeHandler;
import io.github.flinkredis.connector.types.spi.RedisTypeWriter;
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

    // ---- writes ----

    @Override
    public RedisTypeWriter writer(RedisWriteOptions options) {
        return RedisListWriter.INSTANCE;
    }

    @Override
    public RedisRowMutations rowMutations(RedisRowColumns columns) {
        return new RedisListRowMutations(columns);
    }

    @Override
    public boolean appendOnly() {
        return true;
    }

    @Override
    public boolean writesEntryIds() {
        return false;
    }
}
