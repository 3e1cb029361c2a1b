package io.github.flinkredis.connector.types.list;

import io.github.flinkredis.connector.config.RedisDataType;
import io.github.flinkredis.connector.model.RedisReadSpec;
import io.github.flinkredis.connector.types.spi.RedisMemberRead;
import io.github.flinkredis.connector.types.spi.RedisTypeHandler;
import java.util.List;
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
    public List<String> recordParts() {
        return List.of(RedisReadSpec.ELEMENT, RedisReadSpec.INDEX);
    }

    @Override
    public List<String> requiredParts() {
        return List.of(RedisReadSpec.ELEMENT);
    }

    /** A list's elements are told apart by their index: the same element may occur twice. */
    @Override
    public String identifyingPart() {
        return RedisReadSpec.INDEX;
    }

    @Override
    public RedisMemberRead memberRead(RedisReadSpec spec) {
        return new RedisListElements(spec);
    }
}
