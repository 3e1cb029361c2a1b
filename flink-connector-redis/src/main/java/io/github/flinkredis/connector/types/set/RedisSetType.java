package io.github.flinkredis.connector.types.set;

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

/** Data type {@code set}: one row per member of a set. */
@Internal
public enum RedisSetType implements RedisTypeHandler {

    /** The one instance. */
    INSTANCE;

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

    // ---- writes ----

    @Override
    public RedisTypeWriter writer(RedisWriteOptions options) {
        return RedisSetWriter.INSTANCE;
    }

    @Override
    public RedisRowMutations rowMutations(RedisRowColumns columns) {
        return new RedisSetRowMutations(columns);
    }

    // ---- lookups and read specs ----

    @Override
    public boolean readsMembers() {
        return true;
    }

    /** {@code SSCAN} of the members. */
    @Override
    public String describeRead(RedisReadSpec spec) {
        return spec.describeMembers("SSCAN", spec.memberRange().toString());
    }
}
