package io.github.flinkredis.connector.config;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.annotation.Nullable;
import org.apache.flink.annotation.Internal;

/**
 * What the keys and columns of a redis table mean, from its options: an immutable value, the same
 * for the table's source, sink and lookups. The data type ({@code data-type}); how PRIMARY KEY
 * values are placed in a key ({@code key.prefix}, then the values joined by {@code key.separator});
 * the keys the table holds ({@code key.pattern}, a SCAN MATCH pattern); for a set, list, zset,
 * stream or timeseries the column of each part of a record ({@code *.column}); for a JSON table the
 * object whose members the columns are ({@code json.path}).
 *
 * <p>How a scan runs (SCAN COUNT, batches, parallelism, ...) is {@link RedisScanOptions}; how a
 * sink writes is {@link RedisWriteOptions}.
 */
@Internal
public final class RedisTableLayout implements Serializable {

    private static final long serialVersionUID = 1L;

    private final RedisDataType dataType;
    private final String keyPrefix;
    private final String keySeparator;
    private final String keyPattern;
    private final Map<String, String> memberColumns;
    private final String jsonPath;

    /**
     * @param keyPattern the SCAN MATCH pattern of the table's keys
     * @param memberColumns for a set, list, zset or timeseries: the column of each part of a record
     *     (member, score, rank, element, index, timestamp, value; see {@code RedisReadSpec}), by
     *     part; empty otherwise
     * @param jsonPath the JSONPath of the object whose members a JSON table's columns are
     */
    public RedisTableLayout(
            RedisDataType dataType,
            String keyPrefix,
            String keySeparator,
            String keyPattern,
            Map<String, String> memberColumns,
            String jsonPath) {
        this.dataType = Objects.requireNonNull(dataType);
        this.keyPrefix = Objects.requireNonNull(keyPrefix);
        this.keySeparator = Objects.requireNonNull(keySeparator);
        this.keyPattern = Objects.requireNonNull(keyPattern);
        this.memberColumns = Collections.unmodifiableMap(new LinkedHashMap<>(memberColumns));
        this.jsonPath = Objects.requireNonNull(jsonPath);
    }

    /**
     * The SCAN MATCH pattern of all keys with a prefix: the prefix with glob characters ({@code * ?
     * [ ] \}) escaped, then {@code *}.
     */
    public static String patternForPrefix(String prefix) {
        return patternForKey(prefix) + "*";
    }

    /** The SCAN MATCH pattern of the one key {@code key}: its glob characters escaped. */
    public static String patternForKey(String key) {
        StringBuilder sb = new StringBuilder(key.length() + 2);
        for (char c : key.toCharArray()) {
            if (isGlob(c)) {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.toString();
    }

    /** {@code pattern} itself if it has no glob characters ({@code * ? [ ] \}), else null. */
    @Nullable
    public static String literalKeyOf(String pattern) {
        for (char c : pattern.toCharArray()) {
            if (isGlob(c)) {
                return null;
            }
        }
        return pattern;
    }

    private static boolean isGlob(char c) {
        return c == '*' || c == '?' || c == '[' || c == ']' || c == '\\';
    }

    public RedisDataType dataType() {
        return dataType;
    }

    /** What every key built from PRIMARY KEY values starts with ({@code key.prefix}). */
    public String keyPrefix() {
        return keyPrefix;
    }

    /** What joins the PRIMARY KEY values in a key ({@code key.separator}; not empty). */
    public String keySeparator() {
        return keySeparator;
    }

    /** The SCAN MATCH pattern of the table's keys ({@code key.pattern}). */
    public String keyPattern() {
        return keyPattern;
    }

    /**
     * The one key the table reads, when {@code key.pattern} has no glob characters ({@code * ? [ ]
     * \}), e.g. {@code example:leaderboard}; null otherwise. A sink writes rows that have no key
     * columns there.
     */
    @Nullable
    public String literalKey() {
        return literalKeyOf(keyPattern);
    }

    /** Whether {@code key.pattern} is the default one, all keys under {@code key.prefix}. */
    public boolean isPrefixPattern() {
        return keyPattern.equals(patternForPrefix(keyPrefix));
    }

    /** The JSONPath of the object whose members a JSON table's columns are. */
    public String jsonPath() {
        return jsonPath;
    }

    /**
     * The column of each part of a set's, list's, zset's, stream's or timeseries' record, by part
     * (member, score, rank, element, index, timestamp, value); empty for the other data types.
     */
    public Map<String, String> memberColumns() {
        return memberColumns;
    }

    /**
     * The positions of the PRIMARY KEY columns that the key holds (after the prefix, joined by the
     * separator): all of them, except the columns of a record's parts (a set's member, a list's
     * index, ...).
     *
     * @param fieldNames the physical columns
     * @param primaryKey positions of the PRIMARY KEY columns, in key order
     */
    public int[] keyParts(List<String> fieldNames, int[] primaryKey) {
        return Arrays.stream(primaryKey)
                .filter(i -> memberPartOf(fieldNames.get(i)) == null)
                .toArray();
    }

    /** The part of a record that column {@code column} holds, or null. */
    @Nullable
    public String memberPartOf(String column) {
        for (Map.Entry<String, String> e : memberColumns.entrySet()) {
            if (e.getValue().equals(column)) {
                return e.getKey();
            }
        }
        return null;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof RedisTableLayout)) {
            return false;
        }
        RedisTableLayout that = (RedisTableLayout) o;
        return dataType == that.dataType
                && keyPrefix.equals(that.keyPrefix)
                && keySeparator.equals(that.keySeparator)
                && keyPattern.equals(that.keyPattern)
                && memberColumns.equals(that.memberColumns)
                && jsonPath.equals(that.jsonPath);
    }

    @Override
    public int hashCode() {
        return Objects.hash(dataType, keyPrefix, keySeparator, keyPattern);
    }

    @Override
    public String toString() {
        return "RedisTableLayout{"
                + dataType
                + ", prefix '"
                + keyPrefix
                + "', separator '"
                + keySeparator
                + "', pattern '"
                + keyPattern
                + "', "
                + memberColumns
                + ", "
                + jsonPath
                + "}";
    }
}
