package io.github.flinkredis.connector.types.list;

import static io.github.flinkredis.connector.types.spi.RedisFilterComparisons.comparisons;
import static io.github.flinkredis.connector.types.spi.RedisFilterComparisons.fitsLong;
import static io.github.flinkredis.connector.types.spi.RedisFilterComparisons.isIntegral;

import io.github.flinkredis.connector.model.RedisMemberRange;
import io.github.flinkredis.connector.types.spi.RedisFilterComparisons.Comparison;
import io.github.flinkredis.connector.types.spi.RedisPushedFilters;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.flink.annotation.Internal;
import org.apache.flink.table.expressions.ResolvedExpression;

/**
 * Turns comparisons of a list's index column with integral literals ({@code =, <, <=, >, >=},
 * either side, and conjunctions such as {@code BETWEEN}) into the bounds of {@code LRANGE}: exact,
 * so Flink does not evaluate them again. A fractional bound, {@code OR} or {@code <>} stays with
 * Flink.
 */
@Internal
public final class RedisListFilters {

    private RedisListFilters() {}

    /** The index range of a list from filters on its index column, or empty. */
    public static Optional<RedisPushedFilters> indexRange(
            List<ResolvedExpression> filters, String column) {
        long first = 0;
        long last = Long.MAX_VALUE;
        boolean empty = false;
        List<ResolvedExpression> accepted = new ArrayList<>();
        for (ResolvedExpression filter : filters) {
            List<Comparison> comparisons = comparisons(filter, column);
            if (comparisons == null) {
                continue;
            }
            boolean integral = true;
            for (Comparison c : comparisons) {
                integral &= isIntegral(c.value) && fitsLong(c.value);
            }
            if (!integral) {
                continue;
            }
            accepted.add(filter);
            for (Comparison c : comparisons) {
                long v = c.value.longValueExact();
                switch (c.op) {
                    case EQ:
                        first = Math.max(first, v);
                        last = Math.min(last, v);
                        break;
                    case LT:
                        empty |= v <= 0;
                        last = Math.min(last, v - 1);
                        break;
                    case LE:
                        empty |= v < 0;
                        last = Math.min(last, v);
                        break;
                    case GT:
                        empty |= v == Long.MAX_VALUE;
                        first = Math.max(first, v + 1);
                        break;
                    default: // GE
                        first = Math.max(first, v);
                        break;
                }
            }
        }
        if (accepted.isEmpty()) {
            return Optional.empty();
        }
        if (empty || last < 0 || first > last) {
            return Optional.of(
                    new RedisPushedFilters(RedisMemberRange.indexes(1, 0), List.of(), accepted));
        }
        return Optional.of(
                new RedisPushedFilters(RedisMemberRange.indexes(first, last), List.of(), accepted));
    }
}
