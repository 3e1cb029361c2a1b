package io.github.flinkredis.connector.types.list;

import io.github.flinkredis.connector.config.RedisDataType;
import io.github.flinkredis.connector.config.RedisWriteOptions;
import io.github.flinkredis.connector.model.RedisReadSpec;
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

/** Data type {@code list}: one row per element of a list, with its index. */
@Internal
public enum RedisListType implements RedisTypeHandler {

    /** The one instance. */
    INSTANCE;

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

    // ---- pushdown ----

    /** Comparisons of the index column with integers: the bounds of LRANGE. */
    @Override
    public RedisPushedFilters pushFilters(
            List<ResolvedExpression> filters, RedisPushdownContext table) {
        return RedisListFilters.indexRange(
                        filters, table.layout().memberColumns().get(RedisReadSpec.INDEX))
                .orElse(RedisPushedFilters.NONE);
    }

    // ---- lookups and read specs ----

    @Override
    public boolean readsMembers() {
        return true;
    }

    /** {@code LRANGE} of the indexes. */
    @Override
    public String describeRead(RedisReadSpec spec) {
        return spec.describeMembers("LRANGE", spec.memberRange().toString());
    }
}
