package io.github.flinkredis.connector.types.timeseries;

import static io.github.flinkredis.connector.types.spi.RedisFilterComparisons.acceptedComparisons;
import static io.github.flinkredis.connector.types.spi.RedisFilterComparisons.comparisons;
import static io.github.flinkredis.connector.types.spi.RedisFilterComparisons.timeBounds;

import io.github.flinkredis.connector.model.RedisMemberRange;
import io.github.flinkredis.connector.model.RedisTimeSeriesAggregation;
import io.github.flinkredis.connector.types.spi.RedisEqualityFilter;
import io.github.flinkredis.connector.types.spi.RedisFilterComparisons.Comparison;
import io.github.flinkredis.connector.types.spi.RedisFilterComparisons.Op;
import io.github.flinkredis.connector.types.spi.RedisPushedFilters;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.annotation.Nullable;
import org.apache.flink.annotation.Internal;
import org.apache.flink.table.expressions.ResolvedExpression;

/**
 * Turns filters of a timeseries table into its reads: comparisons of the timestamp column into
 * TS.RANGE's time range, inclusive comparisons of the value column into FILTER_BY_VALUE, and label
 * equalities into TS.QUERYINDEX expressions. Each translated filter means exactly what Flink would
 * compute, so it is not evaluated again (but see the aggregation in {@link #sampleRange}).
 */
@Internal
public final class RedisTimeSeriesFilters {

    private RedisTimeSeriesFilters() {}

    /**
     * The samples of a timeseries read from filters on its timestamp column (TIMESTAMP_LTZ, or
     * BIGINT milliseconds; exact on the millisecond grid) and on its value column (only filters
     * made of {@code =, <=, >=}, which FILTER_BY_VALUE's inclusive bounds express exactly), or
     * empty. With an aggregation the rows are buckets: value filters stay with Flink, and time
     * filters widen the range to whole buckets (so each bucket is computed from all its samples)
     * and stay with Flink too.
     */
    public static Optional<RedisPushedFilters> sampleRange(
            List<ResolvedExpression> filters,
            String timeColumn,
            boolean timeInMillis,
            String valueColumn,
            @Nullable RedisTimeSeriesAggregation aggregation) {
        List<ResolvedExpression> timeFilters = new ArrayList<>();
        long[] time =
                timeBounds(acceptedComparisons(filters, timeColumn, timeFilters), timeInMillis);
        List<ResolvedExpression> accepted = new ArrayList<>();
        if (aggregation != null) {
            if (timeFilters.isEmpty()) {
                return Optional.empty();
            }
            long offset = aggregation.rowOffset();
            long first = time[0] <= 0 ? 0 : Math.max(0, aggregation.bucketStart(time[0] - offset));
            long last =
                    time[1] == Long.MAX_VALUE || time[1] < 0
                            ? time[1]
                            : aggregation.bucketStart(time[1] - offset)
                                    + aggregation.bucketMillis()
                                    - 1;
            return Optional.of(
                    new RedisPushedFilters(
                            RedisMemberRange.samples(
                                    first,
                                    last,
                                    Double.NEGATIVE_INFINITY,
                                    Double.POSITIVE_INFINITY),
                            List.of(),
                            accepted));
        }
        accepted.addAll(timeFilters);
        double min = Double.NEGATIVE_INFINITY;
        double max = Double.POSITIVE_INFINITY;
        for (ResolvedExpression filter : filters) {
            List<Comparison> comparisons = comparisons(filter, valueColumn);
            if (comparisons == null
                    || comparisons.stream().anyMatch(c -> c.op == Op.LT || c.op == Op.GT)) {
                continue;
            }
            accepted.add(filter);
            for (Comparison c : comparisons) {
                double v = c.value.doubleValue();
                if (c.op != Op.LE) {
                    min = Math.max(min, v);
                }
                if (c.op != Op.GE) {
                    max = Math.min(max, v);
                }
            }
        }
        if (accepted.isEmpty()) {
            return Optional.empty();
        }
        if (time[1] < 0 || time[0] > time[1] || min > max) {
            // nothing can match: an empty time range reads nothing
            return Optional.of(
                    new RedisPushedFilters(
                            RedisMemberRange.samples(1, 0, min, min), List.of(), accepted));
        }
        return Optional.of(
                new RedisPushedFilters(
                        RedisMemberRange.samples(time[0], time[1], min, max), List.of(), accepted));
    }

    /** Label equalities of a timeseries read, as TS.QUERYINDEX expressions, and their filters. */
    public static final class LabelEqualities {
        public final List<String> expressions = new ArrayList<>();
        public final List<ResolvedExpression> accepted = new ArrayList<>();
    }

    /**
     * The filters {@code column = 'value'} (either side), {@code column IN ('v1', 'v2')} and
     * disjunctions of such equalities on one column, on the label columns {@code columns}
     * (character strings, named like their labels), as TS.QUERYINDEX expressions {@code
     * column=value} and {@code column=(v1,v2)}: exactly what Flink would compute (a series without
     * that label has NULL there and matches none), so they are not evaluated again. Only names and
     * values of letters, digits and {@code _ . : -} are taken, which the filter syntax reads as
     * they are; other filters stay with Flink.
     */
    public static LabelEqualities labelEqualities(
            List<ResolvedExpression> filters, Set<String> columns) {
        LabelEqualities out = new LabelEqualities();
        for (ResolvedExpression filter : filters) {
            List<String> nameAndValues = labelValues(filter, columns);
            if (nameAndValues == null) {
                continue;
            }
            String name = nameAndValues.get(0);
            List<String> values = nameAndValues.subList(1, nameAndValues.size());
            out.expressions.add(
                    name
                            + "="
                            + (values.size() == 1
                                    ? values.get(0)
                                    : "(" + String.join(",", values) + ")"));
            out.accepted.add(filter);
        }
        return out;
    }

    /**
     * The label column and the values {@code filter} accepts ({@link RedisEqualityFilter}: an
     * equality, an IN list or a disjunction of equalities on one column): {@code [column, v1, v2,
     * ...]} where the column is a label column and every value plain text; else null.
     */
    @Nullable
    private static List<String> labelValues(ResolvedExpression filter, Set<String> columns) {
        RedisEqualityFilter eq = RedisEqualityFilter.of(filter);
        if (eq == null || !columns.contains(eq.column) || !plain(eq.column)) {
            return null;
        }
        List<String> out = new ArrayList<>(eq.values.size() + 1);
        out.add(eq.column);
        for (Object value : eq.values) {
            if (!(value instanceof String text) || !plain(text)) {
                return null;
            }
            out.add(text);
        }
        return out;
    }

    private static boolean plain(String s) {
        return !s.isEmpty() && s.matches("[A-Za-z0-9_.:-]+");
    }
}
