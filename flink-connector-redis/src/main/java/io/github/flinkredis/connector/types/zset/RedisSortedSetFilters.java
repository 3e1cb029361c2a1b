package io.github.flinkredis.connector.types.zset;

import static io.github.flinkredis.connector.types.spi.RedisFilterComparisons.acceptedComparisons;

import io.github.flinkredis.connector.model.RedisMemberRange;
import io.github.flinkredis.connector.types.spi.RedisFilterComparisons.Comparison;
import io.github.flinkredis.connector.types.spi.RedisFilterComparisons.Op;
import io.github.flinkredis.connector.types.spi.RedisPushedFilters;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.flink.annotation.Internal;
import org.apache.flink.table.expressions.ResolvedExpression;

/**
 * Turns comparisons of a sorted set's score column with numeric literals ({@code =, <, <=, >, >=},
 * either side, and conjunctions such as {@code BETWEEN}) into the bounds of {@code ZRANGE ...
 * BYSCORE}, with their inclusiveness: exact, so Flink does not evaluate them again.
 */
@Internal
public final class RedisSortedSetFilters {

    private RedisSortedSetFilters() {}

    /** The score range of a sorted set from filters on its score column, or empty. */
    public static Optional<RedisPushedFilters> scoreRange(
            List<ResolvedExpression> filters, String column) {
        double min = Double.NEGATIVE_INFINITY;
        boolean minInclusive = true;
        double max = Double.POSITIVE_INFINITY;
        boolean maxInclusive = true;
        List<ResolvedExpression> accepted = new ArrayList<>();
        for (Comparison c : acceptedComparisons(filters, column, accepted)) {
            double v = c.value.doubleValue();
            if (c.op == Op.EQ || c.op == Op.GE || c.op == Op.GT) {
                boolean inclusive = c.op != Op.GT;
                if (v > min || (v == min && !inclusive)) {
                    min = v;
                    minInclusive = inclusive;
                }
            }
            if (c.op == Op.EQ || c.op == Op.LE || c.op == Op.LT) {
                boolean inclusive = c.op != Op.LT;
                if (v < max || (v == max && !inclusive)) {
                    max = v;
                    maxInclusive = inclusive;
                }
            }
        }
        if (accepted.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(
                new RedisPushedFilters(
                        RedisMemberRange.scores(min, minInclusive, max, maxInclusive),
                        List.of(),
                        accepted));
    }
}
