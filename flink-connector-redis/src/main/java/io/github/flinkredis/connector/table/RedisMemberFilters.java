package io.github.flinkredis.connector.table;

import io.github.flinkredis.connector.model.RedisMemberRange;
import io.github.flinkredis.connector.model.RedisTimeSeriesAggregation;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.annotation.Nullable;
import org.apache.flink.annotation.Internal;
import org.apache.flink.table.expressions.CallExpression;
import org.apache.flink.table.expressions.FieldReferenceExpression;
import org.apache.flink.table.expressions.ResolvedExpression;
import org.apache.flink.table.expressions.ValueLiteralExpression;
import org.apache.flink.table.functions.BuiltInFunctionDefinitions;
import org.apache.flink.table.functions.FunctionDefinition;

/**
 * Turns comparisons of a list's index column or a sorted set's score column with literals into the
 * bounds of {@code LRANGE} or {@code ZRANGE ... BYSCORE}.
 *
 * <p>Translated: {@code =, <, <=, >, >=} between the column (BIGINT index, DOUBLE score) and a
 * numeric literal, either side, and so {@code BETWEEN} (which the planner splits into two of
 * these); several filters are a conjunction and intersect. Each translated filter means exactly
 * what Flink would compute, so it is not evaluated again. Anything else ({@code OR}, {@code <>},
 * arithmetic on the column, a fractional bound on the index) is left to Flink.
 */
@Internal
final class RedisMemberFilters {

    /** The bounds and the filters they come from. */
    static final class Translation {
        final RedisMemberRange range;
        final List<ResolvedExpression> accepted;

        Translation(RedisMemberRange range, List<ResolvedExpression> accepted) {
            this.range = range;
            this.accepted = accepted;
        }
    }

    private RedisMemberFilters() {}

    /** The index range of a list from filters on its index column, or empty. */
    static Optional<Translation> indexRange(List<ResolvedExpression> filters, String column) {
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
            return Optional.of(new Translation(RedisMemberRange.indexes(1, 0), accepted));
        }
        return Optional.of(new Translation(RedisMemberRange.indexes(first, last), accepted));
    }

    /**
     * The range of entry times of a stream from filters on its {@code timestamp} metadata column
     * compared with TIMESTAMP_LTZ literals, or empty. Exact on the millisecond grid of entry IDs
     * (e.g. {@code > t} starts at the millisecond after t), so the filters need no evaluation.
     */
    static Optional<Translation> entryTimeRange(List<ResolvedExpression> filters, String column) {
        List<ResolvedExpression> accepted = new ArrayList<>();
        long[] bounds = timeBounds(acceptedComparisons(filters, column, accepted), false);
        if (accepted.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(
                new Translation(RedisMemberRange.entryTimes(bounds[0], bounds[1]), accepted));
    }

    /**
     * The samples of a timeseries read from filters on its timestamp column (TIMESTAMP_LTZ, or
     * BIGINT milliseconds; exact on the millisecond grid) and on its value column (only filters
     * made of {@code =, <=, >=}, which FILTER_BY_VALUE's inclusive bounds express exactly), or
     * empty. With an aggregation the rows are buckets: value filters stay with Flink, and time
     * filters widen the range to whole buckets (so each bucket is computed from all its samples)
     * and stay with Flink too.
     */
    static Optional<Translation> sampleRange(
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
                    new Translation(
                            RedisMemberRange.samples(
                                    first,
                                    last,
                                    Double.NEGATIVE_INFINITY,
                                    Double.POSITIVE_INFINITY),
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
            return Optional.of(new Translation(RedisMemberRange.samples(1, 0, min, min), accepted));
        }
        return Optional.of(
                new Translation(RedisMemberRange.samples(time[0], time[1], min, max), accepted));
    }

    /**
     * The first and last millisecond (inclusive; {@code first > last} or {@code last < 0}: none)
     * the comparisons leave, from TIMESTAMP_LTZ literals (nanoseconds since the epoch) or, with
     * {@code millis}, numbers of milliseconds.
     */
    private static long[] timeBounds(List<Comparison> comparisons, boolean millis) {
        long first = 0;
        long last = Long.MAX_VALUE;
        for (Comparison c : comparisons) {
            // the literal in nanoseconds since the epoch
            BigDecimal nanos = millis ? c.value.multiply(BigDecimal.valueOf(1_000_000)) : c.value;
            BigDecimal[] qr = nanos.divideAndRemainder(BigDecimal.valueOf(1_000_000));
            long floor = qr[0].longValue() - (qr[1].signum() < 0 ? 1 : 0);
            boolean aligned = qr[1].signum() == 0;
            long ceil = aligned ? floor : floor + 1;
            switch (c.op) {
                case EQ:
                    first = Math.max(first, aligned ? floor : Long.MAX_VALUE);
                    last = Math.min(last, aligned ? floor : -1);
                    break;
                case GE:
                    first = Math.max(first, ceil);
                    break;
                case GT:
                    first = Math.max(first, floor + 1);
                    break;
                case LE:
                    last = Math.min(last, floor);
                    break;
                default: // LT
                    last = Math.min(last, ceil - 1);
            }
        }
        if (last < 0 || first > last) {
            return new long[] {1, 0};
        }
        return new long[] {first, last};
    }

    /** The score range of a sorted set from filters on its score column, or empty. */
    static Optional<Translation> scoreRange(List<ResolvedExpression> filters, String column) {
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
                new Translation(
                        RedisMemberRange.scores(min, minInclusive, max, maxInclusive), accepted));
    }

    /** Label equalities of a timeseries read, as TS.QUERYINDEX expressions, and their filters. */
    static final class LabelEqualities {
        final List<String> expressions = new ArrayList<>();
        final List<ResolvedExpression> accepted = new ArrayList<>();
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
    static LabelEqualities labelEqualities(
            List<ResolvedExpression> filters, java.util.Set<String> columns) {
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
     * The label column and the values {@code filter} accepts ({@link RedisKeyFilters.Equality}: an
     * equality, an IN list or a disjunction of equalities on one column): {@code [column, v1, v2,
     * ...]} where the column is a label column and every value plain text; else null.
     */
    @Nullable
    private static List<String> labelValues(
            ResolvedExpression filter, java.util.Set<String> columns) {
        RedisKeyFilters.Equality eq = RedisKeyFilters.Equality.of(filter);
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

    /**
     * The comparisons of {@code column} with literals of every filter that is a conjunction of
     * them; those filters are added to {@code accepted}.
     */
    private static List<Comparison> acceptedComparisons(
            List<ResolvedExpression> filters, String column, List<ResolvedExpression> accepted) {
        List<Comparison> all = new ArrayList<>();
        for (ResolvedExpression filter : filters) {
            List<Comparison> comparisons = comparisons(filter, column);
            if (comparisons != null) {
                accepted.add(filter);
                all.addAll(comparisons);
            }
        }
        return all;
    }

    /**
     * The comparisons of {@code column} with literals whose conjunction {@code filter} is (the
     * planner gives {@code BETWEEN} and ranges as one {@code AND}), or null if it is not one.
     */
    @Nullable
    private static List<Comparison> comparisons(ResolvedExpression filter, String column) {
        List<Comparison> out = new ArrayList<>();
        return collect(filter, column, out) ? out : null;
    }

    private static boolean collect(ResolvedExpression e, String column, List<Comparison> out) {
        if (e instanceof CallExpression
                && ((CallExpression) e).getFunctionDefinition() == BuiltInFunctionDefinitions.AND) {
            for (ResolvedExpression child : e.getResolvedChildren()) {
                if (!collect(child, column, out)) {
                    return false;
                }
            }
            return true;
        }
        Comparison c = Comparison.of(e, column);
        if (c == null) {
            return false;
        }
        out.add(c);
        return true;
    }

    private static boolean fitsLong(BigDecimal v) {
        return v.compareTo(BigDecimal.valueOf(Long.MIN_VALUE)) >= 0
                && v.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) <= 0;
    }

    private static boolean isIntegral(BigDecimal v) {
        return v.signum() == 0 || v.stripTrailingZeros().scale() <= 0;
    }

    private enum Op {
        EQ,
        LT,
        LE,
        GT,
        GE
    }

    /** {@code column op literal}, with the operands in that order. */
    private static final class Comparison {
        final Op op;
        final BigDecimal value;

        private Comparison(Op op, BigDecimal value) {
            this.op = op;
            this.value = value;
        }

        @Nullable
        static Comparison of(ResolvedExpression e, String column) {
            if (!(e instanceof CallExpression) || e.getResolvedChildren().size() != 2) {
                return null;
            }
            Op op = op(((CallExpression) e).getFunctionDefinition());
            if (op == null) {
                return null;
            }
            ResolvedExpression left = e.getResolvedChildren().get(0);
            ResolvedExpression right = e.getResolvedChildren().get(1);
            if (isColumn(right, column) && !isColumn(left, column)) {
                ResolvedExpression t = left;
                left = right;
                right = t;
                op = flipped(op);
            }
            if (!isColumn(left, column)) {
                return null;
            }
            BigDecimal value = number(right);
            return value == null ? null : new Comparison(op, value);
        }

        /**
         * Whether {@code e} is the column, or a cast of it that changes its nullability only (the
         * planner adds one where a metadata column is declared nullable).
         */
        private static boolean isColumn(ResolvedExpression e, String column) {
            if (e instanceof CallExpression
                    && ((CallExpression) e).getFunctionDefinition()
                            == BuiltInFunctionDefinitions.CAST
                    && e.getResolvedChildren().get(0) instanceof FieldReferenceExpression) {
                ResolvedExpression ref = e.getResolvedChildren().get(0);
                if (ref.getOutputDataType()
                        .getLogicalType()
                        .copy(true)
                        .equals(e.getOutputDataType().getLogicalType().copy(true))) {
                    e = ref;
                }
            }
            return e instanceof FieldReferenceExpression
                    && ((FieldReferenceExpression) e).getName().equals(column);
        }

        @Nullable
        private static BigDecimal number(ResolvedExpression e) {
            if (!(e instanceof ValueLiteralExpression)) {
                return null;
            }
            boolean timestamp =
                    e.getOutputDataType().getLogicalType().getTypeRoot()
                            == org.apache.flink.table.types.logical.LogicalTypeRoot
                                    .TIMESTAMP_WITH_LOCAL_TIME_ZONE;
            Optional<java.time.Instant> instant =
                    timestamp
                            ? ((ValueLiteralExpression) e).getValueAs(java.time.Instant.class)
                            : Optional.empty();
            if (timestamp && instant.isEmpty()) {
                return null;
            }
            if (instant.isPresent()) {
                // a TIMESTAMP_LTZ literal: nanoseconds since the epoch
                return BigDecimal.valueOf(instant.get().getEpochSecond())
                        .multiply(BigDecimal.valueOf(1_000_000_000))
                        .add(BigDecimal.valueOf(instant.get().getNano()));
            }
            Optional<Number> n = ((ValueLiteralExpression) e).getValueAs(Number.class);
            if (n.isEmpty()) {
                return null;
            }
            Number v = n.get();
            if (v instanceof BigDecimal) {
                return (BigDecimal) v;
            }
            if (v instanceof Double || v instanceof Float) {
                double d = v.doubleValue();
                return Double.isFinite(d) ? new BigDecimal(d) : null;
            }
            return BigDecimal.valueOf(v.longValue());
        }

        @Nullable
        private static Op op(FunctionDefinition f) {
            if (f == BuiltInFunctionDefinitions.EQUALS) {
                return Op.EQ;
            } else if (f == BuiltInFunctionDefinitions.LESS_THAN) {
                return Op.LT;
            } else if (f == BuiltInFunctionDefinitions.LESS_THAN_OR_EQUAL) {
                return Op.LE;
            } else if (f == BuiltInFunctionDefinitions.GREATER_THAN) {
                return Op.GT;
            } else if (f == BuiltInFunctionDefinitions.GREATER_THAN_OR_EQUAL) {
                return Op.GE;
            }
            return null;
        }

        private static Op flipped(Op op) {
            switch (op) {
                case LT:
                    return Op.GT;
                case LE:
                    return Op.GE;
                case GT:
                    return Op.LT;
                case GE:
                    return Op.LE;
                default:
                    return op;
            }
        }
    }
}
