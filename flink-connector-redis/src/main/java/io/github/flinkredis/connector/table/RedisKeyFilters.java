package io.github.flinkredis.connector.table;

import io.github.flinkredis.connector.config.RedisTableLayout;
import io.github.flinkredis.connector.types.spi.RedisEqualityFilter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.annotation.Nullable;
import org.apache.flink.annotation.Internal;
import org.apache.flink.table.expressions.CallExpression;
import org.apache.flink.table.expressions.FieldReferenceExpression;
import org.apache.flink.table.expressions.ResolvedExpression;
import org.apache.flink.table.functions.BuiltInFunctionDefinitions;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.LogicalTypeRoot;

/**
 * Turns filters on the key into the keys to read, so that a query reads them directly (point reads)
 * instead of scanning.
 *
 * <p>Translated: {@code key = 'x'} and {@code key IN ('x', 'y')} (or {@code OR}s of equalities) on
 * a column of the metadata {@code key} (STRING: the UTF-8 of the text; BYTES: {@code key =
 * X'6B3AFF'}, the bytes); equality or {@code IN} on every PRIMARY KEY column (VARCHAR/STRING,
 * VARBINARY/BYTES, TINYINT, SMALLINT, INT or BIGINT), which give the keys {@code prefix + v1 +
 * separator + v2 ...}. Several such filters intersect. Keys are bytes, compared as bytes. {@code
 * key LIKE 'abc%'}, or {@code LIKE 'abc%'} on the first PRIMARY KEY column (VARCHAR), narrows the
 * SCAN MATCH pattern to that prefix, glob characters escaped. Anything else is not translated, and
 * every filter stays with Flink as well, so the rows are exactly those of a scan whose keys are
 * written as the connector writes them (a number without leading zeros or sign: {@code id = 42}
 * reads {@code user:42}, not {@code user:042}).
 */
@Internal
final class RedisKeyFilters {

    /** The most keys a filter may turn into (the product of the PRIMARY KEY columns' values). */
    static final int MAX_KEYS = 10_000;

    /**
     * What the filters say about the keys: the keys to read (point reads), or a longer prefix of
     * the keys to scan, and the filters this comes from.
     */
    static final class Translation {
        /** The keys to read (byte buffers, equal by content), or null to scan. */
        @Nullable final List<ByteBuffer> keys;

        /** The prefix every matching key has, longer than the table's; or null. */
        @Nullable final String keyPrefix;

        final List<ResolvedExpression> accepted;

        Translation(
                @Nullable List<ByteBuffer> keys,
                @Nullable String keyPrefix,
                List<ResolvedExpression> accepted) {
            this.keys = keys;
            this.keyPrefix = keyPrefix;
            this.accepted = accepted;
        }
    }

    private RedisKeyFilters() {}

    /**
     * @param keyColumns names of the metadata columns of the key
     * @param primaryKey names of the PRIMARY KEY columns, in key order
     * @param primaryKeyTypes their types
     * @param layout the table's key prefix and separator
     * @return the keys, or empty when the filters do not determine them
     */
    static Optional<Translation> translate(
            List<ResolvedExpression> filters,
            Set<String> keyColumns,
            List<String> primaryKey,
            List<LogicalType> primaryKeyTypes,
            RedisTableLayout layout) {
        String prefix = layout.keyPrefix();
        String separator = layout.keySeparator();
        Set<ByteBuffer> keys = null;
        Map<String, Set<ByteBuffer>> pkValues = new HashMap<>();
        List<ResolvedExpression> accepted = new ArrayList<>();
        String longestPrefix = prefix;
        boolean noKeyMatches = false;
        for (ResolvedExpression filter : filters) {
            String like = likePrefix(filter, keyColumns, primaryKey, primaryKeyTypes, prefix);
            if (like != null) {
                accepted.add(filter);
                if (like.startsWith(longestPrefix)) {
                    longestPrefix = like;
                } else if (!longestPrefix.startsWith(like)) {
                    noKeyMatches = true; // two prefixes that no key has both
                }
                continue;
            }
            RedisEqualityFilter eq = RedisEqualityFilter.of(filter);
            if (eq == null) {
                continue;
            }
            if (keyColumns.contains(eq.column)) {
                Set<ByteBuffer> values = keyValues(eq.values);
                if (values != null) {
                    keys = intersect(keys, values);
                    accepted.add(filter);
                }
                continue;
            }
            int pk = primaryKey.indexOf(eq.column);
            if (pk >= 0) {
                Set<ByteBuffer> values = canonical(eq.values, primaryKeyTypes.get(pk));
                if (values != null) {
                    pkValues.merge(eq.column, values, RedisKeyFilters::intersect);
                    accepted.add(filter);
                }
            }
        }
        Set<ByteBuffer> fromPk = null;
        if (!primaryKey.isEmpty() && pkValues.keySet().containsAll(primaryKey)) {
            fromPk = keysOf(primaryKey, pkValues, prefix, separator);
        }
        if (noKeyMatches) {
            return Optional.of(new Translation(List.of(), null, accepted));
        }
        if (fromPk == null && keys == null) {
            return longestPrefix.equals(prefix)
                    ? Optional.empty()
                    : Optional.of(new Translation(null, longestPrefix, accepted));
        }
        Set<ByteBuffer> result =
                fromPk == null ? keys : keys == null ? fromPk : intersect(keys, fromPk);
        ByteBuffer required = utf8(longestPrefix);
        result.removeIf(
                k ->
                        k.remaining() < required.remaining()
                                || !k.slice(0, required.remaining()).equals(required));
        if (result.size() > MAX_KEYS) {
            return Optional.empty();
        }
        return Optional.of(new Translation(new ArrayList<>(result), null, accepted));
    }

    /**
     * For {@code key LIKE 'abc%'} on a key column, {@code abc}; for {@code pk1 LIKE 'abc%'} on the
     * first PRIMARY KEY column (VARCHAR), the table's prefix followed by {@code abc}; when {@code
     * abc} holds no wildcard ({@code %}, {@code _}) or backslash. Null for any other filter.
     */
    @Nullable
    private static String likePrefix(
            ResolvedExpression e,
            Set<String> keyColumns,
            List<String> primaryKey,
            List<LogicalType> primaryKeyTypes,
            String prefix) {
        if (!(e instanceof CallExpression)
                || ((CallExpression) e).getFunctionDefinition() != BuiltInFunctionDefinitions.LIKE
                || e.getResolvedChildren().size() != 2) {
            return null;
        }
        FieldReferenceExpression column = RedisEqualityFilter.field(e.getResolvedChildren().get(0));
        Object pattern = RedisEqualityFilter.literal(e.getResolvedChildren().get(1));
        if (column == null || !(pattern instanceof String)) {
            return null;
        }
        String p = (String) pattern;
        if (!p.endsWith("%")) {
            return null;
        }
        String literal = p.substring(0, p.length() - 1);
        if (literal.contains("%") || literal.contains("_") || literal.contains("\\")) {
            return null;
        }
        if (keyColumns.contains(column.getName())) {
            return literal;
        }
        if (!primaryKey.isEmpty()
                && primaryKey.get(0).equals(column.getName())
                && primaryKeyTypes.get(0).getTypeRoot() == LogicalTypeRoot.VARCHAR) {
            return prefix + literal;
        }
        return null;
    }

    /**
     * The keys of every combination of PRIMARY KEY values, or null if there are too many, or if a
     * value other than the last holds the separator (reading would split that key elsewhere).
     */
    @Nullable
    private static Set<ByteBuffer> keysOf(
            List<String> primaryKey,
            Map<String, Set<ByteBuffer>> pkValues,
            String prefix,
            String separator) {
        byte[] sep = separator.getBytes(StandardCharsets.UTF_8);
        List<byte[]> keys = List.of(prefix.getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < primaryKey.size(); i++) {
            Set<ByteBuffer> values = pkValues.get(primaryKey.get(i));
            boolean last = i == primaryKey.size() - 1;
            List<byte[]> next = new ArrayList<>();
            for (byte[] key : keys) {
                for (ByteBuffer value : values) {
                    if (!last && contains(value, sep)) {
                        return null;
                    }
                    ByteBuffer out =
                            ByteBuffer.allocate(
                                    key.length + (i == 0 ? 0 : sep.length) + value.remaining());
                    out.put(key).put(i == 0 ? new byte[0] : sep).put(value.duplicate());
                    next.add(out.array());
                }
            }
            if (next.size() > MAX_KEYS) {
                return null;
            }
            keys = next;
        }
        Set<ByteBuffer> out = new LinkedHashSet<>();
        for (byte[] key : keys) {
            out.add(ByteBuffer.wrap(key));
        }
        return out;
    }

    private static boolean contains(ByteBuffer value, byte[] part) {
        for (int i = value.position(); i + part.length <= value.limit(); i++) {
            if (value.slice(i, part.length).equals(ByteBuffer.wrap(part))) {
                return true;
            }
        }
        return false;
    }

    private static <T> Set<T> intersect(@Nullable Set<T> a, Set<T> b) {
        if (a == null) {
            return new LinkedHashSet<>(b);
        }
        Set<T> out = new LinkedHashSet<>(a);
        out.retainAll(b);
        return out;
    }

    private static ByteBuffer utf8(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The keys a key metadata column's values name: a STRING value's UTF-8, a BYTES value's bytes;
     * null for a value of another type.
     */
    @Nullable
    private static Set<ByteBuffer> keyValues(List<Object> values) {
        Set<ByteBuffer> out = new LinkedHashSet<>();
        for (Object v : values) {
            if (v instanceof String) {
                out.add(utf8((String) v));
            } else if (v instanceof byte[]) {
                out.add(ByteBuffer.wrap(((byte[]) v).clone()));
            } else {
                return null;
            }
        }
        return out;
    }

    /**
     * The values as the key spells them (bytes), or null for a type whose spelling is not unique.
     */
    @Nullable
    private static Set<ByteBuffer> canonical(List<Object> values, LogicalType type) {
        switch (type.getTypeRoot()) {
            case VARCHAR:
                return values.stream().allMatch(v -> v instanceof String)
                        ? keyValues(values)
                        : null;
            case VARBINARY:
                return values.stream().allMatch(v -> v instanceof byte[])
                        ? keyValues(values)
                        : null;
            case TINYINT:
            case SMALLINT:
            case INTEGER:
            case BIGINT:
                Set<ByteBuffer> out = new LinkedHashSet<>();
                for (Object v : values) {
                    if (!(v instanceof Byte
                            || v instanceof Short
                            || v instanceof Integer
                            || v instanceof Long)) {
                        return null;
                    }
                    out.add(utf8(v.toString()));
                }
                return out;
            default:
                return null;
        }
    }
}
