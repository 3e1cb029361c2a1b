package io.github.flinkredis.connector.config;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.annotation.Nullable;
import org.apache.flink.annotation.Internal;

/**
 * The key layout and scan settings of a table, from its options: an immutable value.
 *
 * <p>{@code keyPattern} is the SCAN MATCH pattern; {@code keyPrefix} and {@code keySeparator} say
 * how PRIMARY KEY values are placed in a key.
 */
@Internal
public final class RedisScanOptions implements Serializable {

    private static final long serialVersionUID = 1L;

    private final RedisDataType dataType;
    private final String keyPrefix;
    private final String keySeparator;
    private final String keyPattern;
    private final int scanCount;
    private final int batchSize;
    private final int maxBatchesInFlight;
    private final boolean filterPushDown;
    private final ParseErrorPolicy parseErrorPolicy;
    @Nullable private final Integer parallelism;
    private final int memberPageSize;
    private final Map<String, String> memberColumns;
    private final String jsonPath;

    /**
     * @param memberPageSize members or elements per page of a set, list or zset
     * @param memberColumns for a set, list or zset: the column of each part of a record (member,
     *     score, rank, element, index; see {@code RedisReadSpec}), by part; empty otherwise
     * @param jsonPath the JSONPath of the object whose members a JSON table's columns are
     */
    public RedisScanOptions(
            RedisDataType dataType,
            String keyPrefix,
            String keySeparator,
            String keyPattern,
            int scanCount,
            int batchSize,
            int maxBatchesInFlight,
            boolean filterPushDown,
            ParseErrorPolicy parseErrorPolicy,
            @Nullable Integer parallelism,
            int memberPageSize,
            Map<String, String> memberColumns,
            String jsonPath) {
        this.jsonPath = Objects.requireNonNull(jsonPath);
        this.memberPageSize = memberPageSize;
        this.memberColumns = Collections.unmodifiableMap(new LinkedHashMap<>(memberColumns));
        this.dataType = dataType;
        this.keyPrefix = keyPrefix;
        this.keySeparator = keySeparator;
        this.keyPattern = keyPattern;
        this.scanCount = scanCount;
        this.batchSize = batchSize;
        this.maxBatchesInFlight = maxBatchesInFlight;
        this.filterPushDown = filterPushDown;
        this.parseErrorPolicy = parseErrorPolicy;
        this.parallelism = parallelism;
    }

    /**
     * The SCAN MATCH pattern of all keys with a prefix: the prefix with glob characters ({@code * ?
     * [ ] \}) escaped, then {@code *}.
     */
    public static String patternForPrefix(String prefix) {
        StringBuilder sb = new StringBuilder(prefix.length() + 2);
        for (char c : prefix.toCharArray()) {
            if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.append('*').toString();
    }

    public RedisDataType dataType() {
        return dataType;
    }

    public String keyPrefix() {
        return keyPrefix;
    }

    public String keySeparator() {
        return keySeparator;
    }

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

    /** {@code pattern} itself if it has no glob characters ({@code * ? [ ] \}), else null. */
    @Nullable
    public static String literalKeyOf(String pattern) {
        for (char c : pattern.toCharArray()) {
            if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
                return null;
            }
        }
        return pattern;
    }

    public int scanCount() {
        return scanCount;
    }

    public int batchSize() {
        return batchSize;
    }

    public int maxBatchesInFlight() {
        return maxBatchesInFlight;
    }

    /** Whether filters on the key become point reads ({@code scan.filter-push-down.enabled}). */
    public boolean filterPushDown() {
        return filterPushDown;
    }

    /** Whether {@code key.pattern} is the default one, all keys under {@code key.prefix}. */
    public boolean isPrefixPattern() {
        return keyPattern.equals(patternForPrefix(keyPrefix));
    }

    /** The JSONPath of the object whose members a JSON table's columns are. */
    public String jsonPath() {
        return jsonPath;
    }

    /** Members or elements per page of a set, list or zset ({@code scan.member-page-size}). */
    public int memberPageSize() {
        return memberPageSize;
    }

    /**
     * The column of each part of a set's, list's or zset's record, by part (member, score, rank,
     * element, index); empty for the other data types.
     */
    public Map<String, String> memberColumns() {
        return memberColumns;
    }

    /**
     * The positions of the PRIMARY KEY columns that the key holds (after the prefix, joined by the
     * separator): all of them, except the member or index column of a set, list or zset.
     *
     * @param fieldNames the physical columns
     * @param primaryKey positions of the PRIMARY KEY columns, in key order
     */
    public int[] keyParts(List<String> fieldNames, int[] primaryKey) {
        return java.util.Arrays.stream(primaryKey)
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

    public ParseErrorPolicy parseErrorPolicy() {
        return parseErrorPolicy;
    }

    /** The source parallelism from {@code scan.parallelism}, or null for the job's default. */
    @Nullable
    public Integer parallelism() {
        return parallelism;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof RedisScanOptions)) {
            return false;
        }
        RedisScanOptions that = (RedisScanOptions) o;
        return dataType == that.dataType
                && keyPrefix.equals(that.keyPrefix)
                && keySeparator.equals(that.keySeparator)
                && keyPattern.equals(that.keyPattern)
                && scanCount == that.scanCount
                && batchSize == that.batchSize
                && maxBatchesInFlight == that.maxBatchesInFlight
                && filterPushDown == that.filterPushDown
                && parseErrorPolicy == that.parseErrorPolicy
                && Objects.equals(parallelism, that.parallelism)
                && memberPageSize == that.memberPageSize
                && memberColumns.equals(that.memberColumns)
                && jsonPath.equals(that.jsonPath);
    }

    @Override
    public int hashCode() {
        return Objects.hash(dataType, keyPrefix, keySeparator, keyPattern, scanCount, batchSize);
    }
}
