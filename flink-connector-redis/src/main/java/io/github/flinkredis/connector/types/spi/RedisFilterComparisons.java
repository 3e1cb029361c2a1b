package io.github.flinkredis.connector.types.spi;

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
 * The comparisons of one column with literals ({@code =, <, <=, >, >=}, either side, and
 * conjunctions of them such as {@code BETWEEN}), which the data types turn into the bounds of their
 * member reads (LRANGE, ZRANGE BYSCORE, XRANGE, TS.RANGE): the type-agnostic part of filter
 * pushdown. Numbers are {@link BigDecimal}s; a TIMESTAMP_LTZ literal is nanoseconds since the
 * epoch.
 */
@Internal
public final class RedisFilterComparisons {

    private RedisFilterComparisons() {}

    /** A comparison operator, with the column on the left. */
    public enum Op {
        EQ,
        LT,
        LE,
        GT,
        GE
    }

    /**
     * The first and last millisecond (inclusive; {@code first > last} or {@code last < 0}: none)
     * the comparisons leave, from TIMESTAMP_LTZ literals (nanoseconds since the epoch) or, with
     * {@code millis}, numbers of milliseconds.
     */
    public static long[] timeBounds(List<Comparison> comparisons, boolean millis) {
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

    /**
     * The comparisons of {@code column} with literals of every filter that is a conjunction of
     * them; those filters are added to {@code accepted}.
     */
    public static List<Comparison> acceptedComparisons(
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
    public static List<Comparison> comparisons(ResolvedExpression filter, String column) {
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

    public static boolean fitsLong(BigDecimal v) {
        return v.compareTo(BigDecimal.valueOf(Long.MIN_VALUE)) >= 0
                && v.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) <= 0;
    }

    public static boolean isIntegral(BigDecimal v) {
        return v.signum() == 0 || v.stripTrailingZeros().scale() <= 0;
    }

    /** {@code column op literal}, with the operands in that order. */
    public static final class Comparison {
        public final Op op;
        public final BigDecimal value;

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
