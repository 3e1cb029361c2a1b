package io.github.flinkredis.connector.types.spi;

import io.github.flinkredis.connector.model.RedisMemberRange;
import java.util.List;
import javax.annotation.Nullable;
import org.apache.flink.annotation.Internal;
import org.apache.flink.table.expressions.ResolvedExpression;

/**
 * The filters a data type reads exactly by narrowing its member reads ({@link
 * RedisTypeHandler#pushFilters}): the range of members read of each key and the label expressions
 * that select a timeseries table's series, and the filters they come from, which Flink does not
 * evaluate again.
 */
@Internal
public final class RedisPushedFilters {

    /** Nothing pushed down. */
    public static final RedisPushedFilters NONE =
            new RedisPushedFilters(null, List.of(), List.of());

    @Nullable private final RedisMemberRange range;
    private final List<String> labels;
    private final List<ResolvedExpression> accepted;

    /**
     * @param range the members to read of each key, or null to leave the range as it is
     * @param labels TS.QUERYINDEX expressions ({@code label=value}) added to the label filter
     * @param accepted the filters the range and labels express exactly
     */
    public RedisPushedFilters(
            @Nullable RedisMemberRange range,
            List<String> labels,
            List<ResolvedExpression> accepted) {
        this.range = range;
        this.labels = List.copyOf(labels);
        this.accepted = List.copyOf(accepted);
    }

    /** The members to read of each key, or null to leave the range as it is. */
    @Nullable
    public RedisMemberRange range() {
        return range;
    }

    /** TS.QUERYINDEX expressions ({@code label=value}) to add to the label filter. */
    public List<String> labels() {
        return labels;
    }

    /** The filters expressed exactly, in the order given. */
    public List<ResolvedExpression> accepted() {
        return accepted;
    }
}
