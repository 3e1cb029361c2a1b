package io.github.flinkredis.connector.types.zset;

import io.github.flinkredis.connector.config.RedisDataType;
import io.github.flinkredis.connector.config.RedisWriteOptions;
import io.github.flinkredis.connector.model.RedisReadSpec;
import io.github.flinkredis.connector.types.spi.RedisMemberRead;
import io.github.flinkredis.connector.types.spi.RedisRowColumns;
import io.github.flinkredis.connector.types.spi.RedisRowMutations;
import io.github.flinkredis.connector.types.spi.RedisTypeHandler;
import io.github.flinkredis.connector.types.spi.RedisTypeWriter;
import java.util.List;
import org.apache.flink.annotation.Internal;

/** Data type {@code zset}: one row per member of a sorted set, with its score and rank. */
@Internal
public final class RedisSortedSetType implements RedisTypeHandler {

    /** The one instance. */
    public static final RedisSortedSetType INSTANCE = new RedisSortedSetType();

    private RedisSortedSetType() {}

    @Override
    public RedisDataType dataType() {
        return RedisDataType.ZSET;
    }

    @Override
    public List<String> recordParts() {
        return List.of(RedisReadSpec.MEMBER, RedisReadSpec.SCORE, RedisReadSpec.RANK);
    }

    @Override
    public List<String> requiredParts() {
        return List.of(RedisReadSpec.MEMBER, RedisReadSpec.SCORE);
    }

    @Override
    public String identifyingPart() {
        return RedisReadSpec.MEMBER;
    }

    @Override
    public RedisMemberRead memberRead(RedisReadSpec spec) {
        return new RedisSortedSetMembers(spec);
    }

    // ---- writes ----

    @Override
    public RedisTypeWriter writer(RedisWriteOptions options) {
        return RedisSortedSetWriter.INSTANCE;
    }

    @Override
    public RedisRowMutations rowMutations(RedisRowColumns columns) {
        return new RedisSortedSetRowMutations(columns);
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
