package io.github.flinkredis.connector.types.stream;

import io.github.flinkredis.connector.config.RedisDataType;
import io.github.flinkredis.connector.model.RedisReadSpec;
import io.github.flinkredis.connector.types.spi.RedisMemberRead;
import io.github.flinkredis.connector.types.spi.RedisTypeHandler;
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

    @Override
    public RedisMemberRead memberRead(RedisReadSpec spec) {
        return new RedisStreamEntryPages(spec);
    }
}
