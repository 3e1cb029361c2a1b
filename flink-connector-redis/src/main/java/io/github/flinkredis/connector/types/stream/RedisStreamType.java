package io.github.flinkredis.connector.types.stream;

import io.github.flinkredis.connector.config.RedisDataType;
import io.github.flinkredis.connector.config.RedisWriteOptions;
import io.github.flinkredis.connector.types.spi.RedisRowColumns;
import io.github.flinkredis.connector.types.spi.RedisRowMutations;
import io.github.flinkredis.connector.types.spi.RedisTypeHandler;
import io.github.flinkredis.connector.types.spi.RedisTypeWriter;
import org.apache.flink.annotation.Internal;

/** Data type {@code stream}: one row per entry of a stream, columns are its fields. */
@Internal
public final class RedisStreamType implements RedisTypeHandler {

    /** The one instance. */
    public static final RedisStreamType INSTANCE = new RedisStreamType();

    private RedisStreamType() {}

    @Override
    public RedisDataType dataType() {
        return RedisDataType.STREAM;
    }

    // ---- writes ----

    @Override
    public RedisTypeWriter writer(RedisWriteOptions options) {
        return new RedisStreamWriter(options.streamMaxLength());
    }

    @Override
    public RedisRowMutations rowMutations(RedisRowColumns columns) {
        return new RedisStreamRowMutations(columns);
    }

    @Override
    public boolean appendOnly() {
        return true;
    }

    @Override
    public boolean writesEntryIds() {
        return true;
    }
}
