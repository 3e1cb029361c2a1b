package io.github.flinkredis.connector.source;

import java.io.Serializable;
import java.util.Objects;
import javax.annotation.Nullable;
import org.apache.flink.annotation.Internal;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.expressions.AggregateExpression;
import org.apache.flink.table.functions.BuiltInFunctionDefinitions;
import org.apache.flink.table.functions.FunctionDefinition;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.LogicalTypeRoot;

/**
 * One aggregate function of a query whose aggregation Flink pushed into the source, computed for
 * one group of a RediSearch group count ({@code FT.AGGREGATE ... GROUPBY ... REDUCE COUNT}): the
 * group holds {@code count} hashes whose grouped fields hold the same values, so each aggregate's
 * partial result over those hashes follows from the value of its column and the count, exactly as
 * Flink would compute it over the rows:
 *
 * <ul>
 *   <li>{@code COUNT(*)}: the count;
 *   <li>{@code COUNT(col)}: the count, or 0 where the column reads as NULL;
 *   <li>{@code MIN(col)}, {@code MAX(col)}: the column's value (NULL for NULL);
 *   <li>{@code SUM(col)} of TINYINT, SMALLINT, INT or BIGINT: the value times the count in the
 *       column type's two's complement arithmetic, which wraps around as {@code count} additions of
 *       the value do in Flink; NULL for NULL ({@code $SUM0}: 0).
 * </ul>
 *
 * <p>Flink's final aggregation then merges the partial results of all groups (including groups
 * whose values read alike). Other aggregates are not computed here ({@link #of} answers null): sums
 * of FLOAT and DOUBLE (a product is not the sum of the same additions), DECIMAL, DISTINCT, FILTER
 * clauses, AVG as one function.
 */
@Internal
public final class RedisPartialAggregate implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The aggregate functions computed from group counts. */
    public enum Kind {
        COUNT_ALL,
        COUNT,
        SUM,
        SUM0,
        MIN,
        MAX
    }

    private final Kind kind;
    private final int position;
    @Nullable private final LogicalType type;
    private final LogicalType resultType;
    @Nullable private final RowData.FieldGetter getter;

    /**
     * @param kind the function
     * @param position the position of its column in the rows of group values, -1 for {@code
     *     COUNT(*)}
     * @param type the column's type, null for {@code COUNT(*)}
     * @param resultType the type of the function's result
     */
    public RedisPartialAggregate(
            Kind kind, int position, @Nullable LogicalType type, LogicalType resultType) {
        this.kind = Objects.requireNonNull(kind);
        this.position = position;
        this.type = type;
        this.resultType = Objects.requireNonNull(resultType);
        this.getter = type == null ? null : RowData.createFieldGetter(type, position);
        if ((kind == Kind.SUM || kind == Kind.SUM0) && !(summable(type) && summable(resultType))) {
            throw new IllegalArgumentException(
                    "Not summed from group counts: " + type + " into " + resultType);
        }
    }

    /**
     * The function of {@code e} where its partial result can be computed from group counts (see the
     * class comment), or null: a function the planner gives as its own class (e.g. {@code
     * IntSumAggFunction}) is known by the simple names of its class and superclasses.
     *
     * @param argumentType the type of its one argument, null for none
     * @param result the type of the result the source produces (where Flink rewrote an {@code AVG}
     *     into {@code $SUM0} and {@code COUNT}, the expression's own output type may differ)
     */
    @Nullable
    public static Kind kindOf(
            AggregateExpression e, @Nullable LogicalType argumentType, LogicalType result) {
        if (e.isDistinct()
                || e.getFilterExpression().isPresent()
                || e.getArgs().size() > 1
                || (e.getArgs().size() == 1) != (argumentType != null)) {
            return null;
        }
        Kind kind = kindOf(e.getFunctionDefinition());
        if (kind == null) {
            return null;
        }
        if (kind == Kind.COUNT && e.getArgs().isEmpty()) {
            kind = Kind.COUNT_ALL;
        }
        boolean fits;
        switch (kind) {
            case COUNT_ALL:
                fits = e.getArgs().isEmpty() && result.getTypeRoot() == LogicalTypeRoot.BIGINT;
                break;
            case COUNT:
                fits = result.getTypeRoot() == LogicalTypeRoot.BIGINT;
                break;
            case MIN:
            case MAX:
                // the value itself is the result
                fits = argumentType != null && argumentType.copy(true).equals(result.copy(true));
                break;
            default:
                fits = summable(argumentType) && summable(result);
        }
        return fits ? kind : null;
    }

    @Nullable
    private static Kind kindOf(FunctionDefinition f) {
        if (f == BuiltInFunctionDefinitions.COUNT) {
            return Kind.COUNT;
        } else if (f == BuiltInFunctionDefinitions.SUM) {
            return Kind.SUM;
        } else if (f == BuiltInFunctionDefinitions.SUM0) {
            return Kind.SUM0;
        } else if (f == BuiltInFunctionDefinitions.MIN) {
            return Kind.MIN;
        } else if (f == BuiltInFunctionDefinitions.MAX) {
            return Kind.MAX;
        }
        for (Class<?> c = f.getClass(); c != null; c = c.getSuperclass()) {
            switch (c.getSimpleName()) {
                case "Count1AggFunction":
                    return Kind.COUNT_ALL;
                case "CountAggFunction":
                    return Kind.COUNT;
                case "SumAggFunction":
                    return Kind.SUM;
                case "Sum0AggFunction":
                    return Kind.SUM0;
                case "MinAggFunction":
                    return Kind.MIN;
                case "MaxAggFunction":
                    return Kind.MAX;
                default:
                    // look at the superclass
            }
        }
        return null;
    }

    private static boolean summable(@Nullable LogicalType type) {
        if (type == null) {
            return false;
        }
        LogicalTypeRoot root = type.getTypeRoot();
        return root == LogicalTypeRoot.TINYINT
                || root == LogicalTypeRoot.SMALLINT
                || root == LogicalTypeRoot.INTEGER
                || root == LogicalTypeRoot.BIGINT;
    }

    public Kind kind() {
        return kind;
    }

    /**
     * The partial result over a group of {@code count} hashes whose values are {@code values} (the
     * group's row as the table's columns read it).
     */
    @Nullable
    public Object of(RowData values, long count) {
        if (kind == Kind.COUNT_ALL) {
            return count;
        }
        Object value = getter.getFieldOrNull(values);
        switch (kind) {
            case COUNT:
                return value == null ? 0L : count;
            case MIN:
            case MAX:
                return value;
            default:
                return sum(value, count);
        }
    }

    /** {@code value} added {@code count} times, wrapping around as the result type does. */
    @Nullable
    private Object sum(@Nullable Object value, long count) {
        if (value == null && kind == Kind.SUM) {
            return null;
        }
        long product = value == null ? 0 : ((Number) value).longValue() * count;
        switch (resultType.getTypeRoot()) {
            case TINYINT:
                return (byte) product;
            case SMALLINT:
                return (short) product;
            case INTEGER:
                return (int) product;
            default:
                return product;
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RedisPartialAggregate that
                && kind == that.kind
                && position == that.position
                && Objects.equals(type, that.type)
                && resultType.equals(that.resultType);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, position, type, resultType);
    }

    @Override
    public String toString() {
        return kind + (position < 0 ? "" : "(" + position + ")");
    }
}
