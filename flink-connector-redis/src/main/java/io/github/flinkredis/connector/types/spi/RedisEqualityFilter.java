package io.github.flinkredis.connector.types.spi;

import java.util.ArrayList;
import java.util.List;
import javax.annotation.Nullable;
import org.apache.flink.annotation.Internal;
import org.apache.flink.table.expressions.CallExpression;
import org.apache.flink.table.expressions.FieldReferenceExpression;
import org.apache.flink.table.expressions.ResolvedExpression;
import org.apache.flink.table.expressions.ValueLiteralExpression;
import org.apache.flink.table.functions.BuiltInFunctionDefinitions;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.VarCharType;

/**
 * {@code column = literal}, {@code literal = column}, {@code column IN (literals)}, or a
 * disjunction of these on one column: the equality filters that key pushdown and a timeseries'
 * label pushdown translate. Values are the literals' default conversion classes (String, Long,
 * byte[], ...).
 */
@Internal
public final class RedisEqualityFilter {
    public final String column;
    public final List<Object> values;

    private RedisEqualityFilter(String column, List<Object> values) {
        this.column = column;
        this.values = values;
    }

    /** The equality {@code e} is, or null if it is none. */
    @Nullable
    public static RedisEqualityFilter of(ResolvedExpression e) {
        if (!(e instanceof CallExpression)) {
            return null;
        }
        CallExpression call = (CallExpression) e;
        List<ResolvedExpression> args = call.getResolvedChildren();
        if (call.getFunctionDefinition() == BuiltInFunctionDefinitions.EQUALS && args.size() == 2) {
            int field = field(args.get(0)) != null ? 0 : 1;
            FieldReferenceExpression column = field(args.get(field));
            Object value = literal(args.get(1 - field));
            if (column == null || value == null) {
                return null;
            }
            return new RedisEqualityFilter(column.getName(), List.of(value));
        }
        if (call.getFunctionDefinition() == BuiltInFunctionDefinitions.OR) {
            // the planner writes a short IN list as a disjunction of equalities
            String column = null;
            List<Object> values = new ArrayList<>();
            for (ResolvedExpression arg : args) {
                RedisEqualityFilter eq = of(arg);
                if (eq == null || (column != null && !column.equals(eq.column))) {
                    return null;
                }
                column = eq.column;
                values.addAll(eq.values);
            }
            return column == null ? null : new RedisEqualityFilter(column, values);
        }
        if (call.getFunctionDefinition() == BuiltInFunctionDefinitions.IN
                && args.size() > 1
                && field(args.get(0)) != null) {
            List<Object> values = new ArrayList<>();
            for (ResolvedExpression arg : args.subList(1, args.size())) {
                Object value = literal(arg);
                if (value == null) {
                    return null;
                }
                values.add(value);
            }
            return new RedisEqualityFilter(field(args.get(0)).getName(), values);
        }
        return null;
    }

    /**
     * The column {@code e} refers to: a field reference, or one cast to its own type with another
     * nullability, or from VARCHAR to a VARCHAR at least as long (casts that change no value; the
     * planner adds them, e.g. to STRING).
     */
    @Nullable
    public static FieldReferenceExpression field(ResolvedExpression e) {
        if (e instanceof FieldReferenceExpression) {
            return (FieldReferenceExpression) e;
        }
        if (e instanceof CallExpression
                && ((CallExpression) e).getFunctionDefinition() == BuiltInFunctionDefinitions.CAST
                && e.getResolvedChildren().get(0) instanceof FieldReferenceExpression) {
            FieldReferenceExpression ref =
                    (FieldReferenceExpression) e.getResolvedChildren().get(0);
            LogicalType from = ref.getOutputDataType().getLogicalType();
            LogicalType to = e.getOutputDataType().getLogicalType();
            if (from.copy(true).equals(to.copy(true))) {
                return ref;
            }
            if (from instanceof VarCharType
                    && to instanceof VarCharType
                    && ((VarCharType) to).getLength() >= ((VarCharType) from).getLength()) {
                return ref;
            }
        }
        return null;
    }

    @Nullable
    public static Object literal(ResolvedExpression e) {
        if (!(e instanceof ValueLiteralExpression)) {
            return null;
        }
        ValueLiteralExpression literal = (ValueLiteralExpression) e;
        Class<?> conversion = literal.getOutputDataType().getConversionClass();
        return literal.getValueAs(conversion).orElse(null);
    }
}
