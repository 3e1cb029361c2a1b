package io.github.flinkredis.connector.types.zset;

import io.github.flinkredis.connector.config.RedisDataType;
import io.github.flinkredis.connector.config.RedisWriteOptions;
import io.github.flinkredis.connector.model.RedisReadSpec;
import io.github.flinkredis.connector.types.spi.RedisMemberLookup;
import io.github.flinkredis.connector.types.spi.RedisMemberRead;
import io.github.flinkredis.connector.types.spi.RedisPushdownContext;
import io.github.flinkredis.connector.types.spi.RedisPushedFilters;
import io.github.flinkredis.connector.types.spi.RedisRowColumns;
import io.github.flinkredis.connector.types.spi.RedisRowMutations;
import io.github.flinkredis.connector.types.spi.RedisTypeHandler;
import io.github.flinkredis.connector.types.spi.RedisTypeWriter;
import java.util.List;
import org.apache.flink.annotation.Internal;
import org.apache.flink.table.expressions.ResolvedExpression;

/** Data type {@code zset}: one row per member of a sorted set, with its score and rank. */
@Internal
public enum RedisSortedSetType implements RedisTypeHandler {

    /** The one instance. */
    INSTANCE;

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

    // ---- pushdown ----

    @Override
    public boolean servesLookups() {
        return true;
    }

    /** A lookup reads one member's score (ZSCORE): the join gives the member. */
    @Override
    public String lookupPart() {
        return RedisReadSpec.MEMBER;
    }

    /** Comparisons of the score column: the bounds of ZRANGE ... BYSCORE. */
    @Override
    public RedisPushedFilters pushFilters(
            List<ResolvedExpression> filters, RedisPushdownContext table) {
        return RedisSortedSetFilters.scoreRange(
                        filters, table.layout().memberColumns().get(RedisReadSpec.SCORE))
                .orElse(RedisPushedFilters.NONE);
    }

    // ---- lookups and read specs ----

    @Override
    public boolean readsMembers() {
        return true;
    }

    /** {@code ZRANGE} of the ranks or scores. */
    @Override
    public String describeRead(RedisReadSpec spec) {
        return spec.describeMembers("ZRANGE", spec.memberRange().toString());
    }

    /**
     * A lookup names a member of each key ({@code setMemberFunction}) and reads any of its member,
     * score and rank; its member and score by default.
     */
    @Override
    public List<String> lookupFields(List<String> fields, boolean memberGiven) {
        List<String> parts = recordParts();
        if (!memberGiven) {
            throw new IllegalArgumentException(
                    "RedisAsyncLookupFunction of zset members needs setMemberFunction");
        }
        if (!parts.containsAll(fields)) {
            throw new IllegalArgumentException(
                    "A zset member's record has the fields "
                            + parts
                            + ": setFields "
                            + fields
                            + " does not apply");
        }
        return fields.isEmpty() ? List.of(RedisReadSpec.MEMBER, RedisReadSpec.SCORE) : fields;
    }

    /** {@code ZSCORE key member}, and {@code ZRANK key member} where the rank is read. */
    @Override
    public RedisMemberLookup memberLookup(List<String> fields) {
        return new RedisSortedSetLookup(fields);
    }
}
