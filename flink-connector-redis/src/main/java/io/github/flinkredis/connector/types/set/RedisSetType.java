package io.github.flinkredis.connector.types.set;

import io.github.flinkredis.connector.config.RedisDataType;
import io.github.flinkredis.connector.model.RedisReadSpec;
import io.github.flinkredis.connector.types.spi.RedisMemberRead;
import io.github.flinkredis.connector.types.spi.RedisTypeHandler;
import java.util.List;
import org.apache.flink.annotation.Internal;

/** Data type {@code set}: one row per member of a set. */
@Internal
public final class RedisSetType implements RedisTypeHandler {

    /** The one instance. */
    public static final RedisSetType INSTANCE = new RedisSetType();

    private RedisSetType() {}

    @Override
    public RedisDataType dataType() {
        return RedisDataType.SET;
    }

    @Override
    public List<String> recordParts() {
        return List.of(RedisReadSpec.MEMBER);
    }

    @Override
    public String identifyingPart() {
        return RedisReadSpec.MEMBER;
    }

    @Override
    public RedisMemberRead memberRead(RedisReadSpec spec) {
        return new RedisSetMembers(spec);
    }
}
