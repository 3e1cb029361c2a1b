package io.github.flinkredis.connector.search;

import io.github.flinkredis.connector.types.spi.RedisFilterComparisons;
import io.github.flinkredis.connector.types.spi.RedisFilterComparisons.Comparison;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.annotation.Nullable;
import org.apache.flink.annotation.Internal;
import org.apache.flink.table.expressions.CallExpression;
import org.apache.flink.table.expressions.FieldReferenceExpression;
import org.apache.flink.table.expressions.ResolvedExpression;
import org.apache.flink.table.expressions.ValueLiteralExpression;
import org.apache.flink.table.functions.BuiltInFunctionDefinitions;
import org.apache.flink.table.functions.FunctionDefinition;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.LogicalTypeRoot;

/**
 * A table's filters as a RediSearch query on its index: each filter becomes a query part that
 * selects at least the keys whose rows the filter keeps (a pre-filter), or exactly those (exact).
 * Parts are written the same in query dialects 1 and 2: every part in parentheses, ranges and tag
 * lists in their bracket syntax, TAG values escaped.
 *
 * <table>
 *   <caption>What is translated</caption>
 *   <tr><th>SQL</th><th>query</th><th>exact</th></tr>
 *   <tr><td>{@code n = 5}, {@code <}, {@code <=}, {@code >}, {@code >=} on a NUMERIC attribute of an
 *       integer column</td><td>{@code @n:[5 5]}, {@code @n:[-inf (5]}, ...</td><td>where |literal| &lt;
 *       2^53 (RediSearch compares doubles; larger values round, which keeps a superset)</td></tr>
 *   <tr><td>the same on a DOUBLE column</td><td>the literal as Java's shortest decimal</td><td>yes</td></tr>
 *   <tr><td>{@code n <> 5}</td><td>{@code @n:[-inf (5] | @n:[(5 +inf]} (a key without the field is
 *       no match, as in SQL)</td><td>as {@code =}</td></tr>
 *   <tr><td>{@code s = 'a'}, {@code s IN ('a', 'b')} on a TAG attribute of a string column</td>
 *       <td>{@code @s:{a}}, {@code (@s:{a}) | (@s:{b})}</td><td>only for a CASESENSITIVE TAG without
 *       separator (a JSON string); a hash TAG splits values at its separator and may fold case:
 *       pre-filter</td></tr>
 *   <tr><td>{@code n IS NOT NULL} on a NUMERIC attribute</td><td>{@code @n:[-inf +inf]}</td><td>no
 *       (a value that does not parse into the column's type is NULL in SQL)</td></tr>
 *   <tr><td>{@code AND}, {@code OR} of translated parts</td><td>{@code (p) (q)}, {@code (p) |
 *       (q)}</td><td>where every part is</td></tr>
 * </table>
 *
 * <p>Not translated (the filter stays for Flink alone): other types (FLOAT, DECIMAL, dates), TEXT
 * and GEO attributes, {@code NOT}, {@code <>} on a TAG, a TAG value that is empty, has leading or
 * trailing whitespace (tags are trimmed when indexed) or holds the attribute's separator (it would
 * be split when indexed, so no tag equals it), a column whose attribute reads another field or path
 * than the column, and an attribute whose name is not letters, digits and {@code _}.
 */
@Internal
public final class RedisSearchFilters {

    /** |x| below this is an exact double, and so is every integer between. */
    private static final BigDecimal EXACT_INTEGERS = BigDecimal.valueOf(1L << 53);

    private RedisSearchFilters() {}

    /**
     * A column a filter may name: where its values come from ({@code identifier}: the hash field,
     * or the JSONPath of a JSON document's member, as the index's attribute must name it) and its
     * type.
     */
    public record FilterColumn(String identifier, LogicalType type) {}

    /**
     * The query of the translated filters.
     *
     * @param query the query ({@code (p) (q) ...}), or null where no filter was translated
     * @param translated the filters the query applies
     * @param exact of those, the ones it applies exactly (Flink need not apply them again)
     * @param untranslated the filters the query does not apply
     */
    public record Translation(
            @Nullable String query,
            List<ResolvedExpression> translated,
            List<ResolvedExpression> exact,
            List<ResolvedExpression> untranslated) {}

    /** A query part and whether it selects exactly the filter's keys. */
    private record Part(String query, boolean exact) {}

    /**
     * Translates {@code filters} (a conjunction, as {@code applyFilters} gets them) into a query on
     * {@code index}, for a table whose filterable columns are {@code columns} (by name).
     */
    public static Translation translate(
            List<ResolvedExpression> filters,
            RedisSearchIndex index,
            Map<String, FilterColumn> columns) {
        List<String> parts = new ArrayList<>();
        List<ResolvedExpression> translated = new ArrayList<>();
        List<ResolvedExpression> exact = new ArrayList<>();
        List<ResolvedExpression> untranslated = new ArrayList<>();
        for (ResolvedExpression filter : filters) {
            Part part = part(filter, index, columns);
            if (part == null) {
                untranslated.add(filter);
                continue;
            }
            parts.add("(" + part.query() + ")");
            translated.add(filter);
            if (part.exact()) {
                exact.add(filter);
            }
        }
        return new Translation(
                parts.isEmpty() ? null : String.join(" ", parts), translated, exact, untranslated);
    }

    @Nullable
    private static Part part(
            ResolvedExpression e, RedisSearchIndex index, Map<String, FilterColumn> columns) {
        if (!(e instanceof CallExpression call)) {
            return null;
        }
        FunctionDefinition f = call.getFunctionDefinition();
        if (f == BuiltInFunctionDefinitions.AND || f == BuiltInFunctionDefinitions.OR) {
            return combined(
                    call, f == BuiltInFunctionDefinitions.AND ? " " : " | ", index, columns);
        }
        List<ResolvedExpression> args = call.getResolvedChildren();
        if (f == BuiltInFunctionDefinitions.IS_NOT_NULL
                && args.size() == 1
                && args.get(0) instanceof FieldReferenceExpression present) {
            // every value of a NUMERIC attribute is in its range tree: the keys that have the
            // field (a superset: a value SQL cannot parse into the column's type is NULL there)
            return attributeOf(present.getName(), index, columns)
                    .filter(a -> a.type() == RedisSearchFieldType.NUMERIC)
                    .map(a -> new Part("@" + a.name() + ":[-inf +inf]", false))
                    .orElse(null);
        }
        if (args.size() != 2) {
            return null;
        }
        FieldReferenceExpression column =
                args.get(0) instanceof FieldReferenceExpression r
                        ? r
                        : args.get(1) instanceof FieldReferenceExpression r2 ? r2 : null;
        if (column == null) {
            return null;
        }
        Optional<RedisSearchAttribute> attribute = attributeOf(column.getName(), index, columns);
        if (attribute.isEmpty()) {
            return null;
        }
        LogicalType type = columns.get(column.getName()).type();
        switch (attribute.get().type()) {
            case NUMERIC:
                return numeric(call, column.getName(), attribute.get(), type);
            case TAG:
                return f == BuiltInFunctionDefinitions.EQUALS
                        ? tag(args, attribute.get(), type)
                        : null;
            default:
                return null;
        }
    }

    /** An AND or OR whose every operand translates. */
    @Nullable
    private static Part combined(
            CallExpression call,
            String operator,
            RedisSearchIndex index,
            Map<String, FilterColumn> columns) {
        List<String> queries = new ArrayList<>();
        boolean exact = true;
        for (ResolvedExpression child : call.getResolvedChildren()) {
            Part p = part(child, index, columns);
            if (p == null) {
                return null;
            }
            queries.add("(" + p.query() + ")");
            exact &= p.exact();
        }
        return new Part(String.join(operator, queries), exact);
    }

    /**
     * The index's attribute for a column: the attribute named like the column (or, in a JSON index,
     * with the path {@code $.<column>}) whose identifier is the column's field or path.
     */
    private static Optional<RedisSearchAttribute> attributeOf(
            String column, RedisSearchIndex index, Map<String, FilterColumn> columns) {
        FilterColumn c = columns.get(column);
        if (c == null) {
            return Optional.empty();
        }
        // a name a query can spell as is: @name
        return index.attributeOf(column)
                .filter(a -> a.identifier().equals(c.identifier()))
                .filter(a -> a.name().matches("[A-Za-z_][A-Za-z0-9_]*"));
    }

    /** A comparison of an integer or DOUBLE column with a number, as a range. */
    @Nullable
    private static Part numeric(
            CallExpression call, String column, RedisSearchAttribute attribute, LogicalType type) {
        boolean integer = isInteger(type.getTypeRoot());
        if (!integer && type.getTypeRoot() != LogicalTypeRoot.DOUBLE) {
            return null;
        }
        boolean notEquals = call.getFunctionDefinition() == BuiltInFunctionDefinitions.NOT_EQUALS;
        ResolvedExpression comparison =
                notEquals
                        ? CallExpression.permanent(
                                BuiltInFunctionDefinitions.EQUALS,
                                call.getResolvedChildren(),
                                call.getOutputDataType())
                        : call;
        List<Comparison> cs = RedisFilterComparisons.comparisons(comparison, column);
        if (cs == null || cs.size() != 1) {
            return null;
        }
        Comparison c = cs.get(0);
        String v = number(c.value, integer);
        if (v == null) {
            return null;
        }
        boolean exact = !integer || c.value.abs().compareTo(EXACT_INTEGERS) < 0;
        String a = "@" + attribute.name() + ":";
        if (notEquals) {
            return new Part(a + "[-inf (" + v + "] | " + a + "[(" + v + " +inf]", exact);
        }
        String range =
                switch (c.op) {
                    case EQ -> "[" + v + " " + v + "]";
                    case LT -> "[-inf (" + v + "]";
                    case LE -> "[-inf " + v + "]";
                    case GT -> "[(" + v + " +inf]";
                    case GE -> "[" + v + " +inf]";
                };
        return new Part(a + range, exact);
    }

    private static boolean isInteger(LogicalTypeRoot root) {
        return root == LogicalTypeRoot.TINYINT
                || root == LogicalTypeRoot.SMALLINT
                || root == LogicalTypeRoot.INTEGER
                || root == LogicalTypeRoot.BIGINT;
    }

    /**
     * A literal as the query writes it: an integer's digits, a double's shortest decimal (which
     * reads back as the same double); null for a fraction against an integer column, or a value
     * that is no exact double against a DOUBLE column.
     */
    @Nullable
    private static String number(BigDecimal value, boolean integer) {
        if (integer) {
            return RedisFilterComparisons.isIntegral(value)
                    ? value.toBigInteger().toString()
                    : null;
        }
        double d = value.doubleValue();
        if (!Double.isFinite(d) || new BigDecimal(d).compareTo(value) != 0) {
            return null;
        }
        return Double.toString(d);
    }

    /** {@code column = 'text'} on a TAG attribute of a character column. */
    @Nullable
    private static Part tag(
            List<ResolvedExpression> args, RedisSearchAttribute attribute, LogicalType type) {
        if (type.getTypeRoot() != LogicalTypeRoot.VARCHAR
                && type.getTypeRoot() != LogicalTypeRoot.CHAR) {
            return null;
        }
        ResolvedExpression literal =
                args.get(0) instanceof ValueLiteralExpression ? args.get(0) : args.get(1);
        if (!(literal instanceof ValueLiteralExpression v)) {
            return null;
        }
        Optional<String> text = v.getValueAs(String.class);
        if (text.isEmpty() || !taggable(text.get(), attribute.separator())) {
            return null;
        }
        boolean exact =
                attribute.caseSensitive()
                        && (attribute.separator() == null || attribute.separator().isEmpty());
        return new Part("@" + attribute.name() + ":{" + escapeTag(text.get()) + "}", exact);
    }

    /**
     * Whether a TAG query can find {@code value}: not empty, not starting or ending with
     * whitespace, and without the separator.
     */
    private static boolean taggable(String value, @Nullable String separator) {
        return !value.isEmpty()
                && !Character.isWhitespace(value.charAt(0))
                && !Character.isWhitespace(value.charAt(value.length() - 1))
                && (separator == null || separator.isEmpty() || !value.contains(separator));
    }

    /**
     * {@code value} with a backslash before every ASCII character that is not a letter or digit
     * (punctuation and spaces separate or mean something in a TAG query, in either dialect).
     */
    public static String escapeTag(String value) {
        StringBuilder sb = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            if (ch < 128 && !Character.isLetterOrDigit(ch)) {
                sb.append('\\');
            }
            sb.append(ch);
        }
        return sb.toString();
    }
}
