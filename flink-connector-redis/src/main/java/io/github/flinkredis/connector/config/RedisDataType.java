package io.github.flinkredis.connector.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.flink.annotation.PublicEvolving;

/**
 * The Redis data type a table reads and writes; the value of the {@code data-type} option.
 *
 * <p>Each constant names the Redis type as SCAN's {@code TYPE} filter spells it.
 */
@PublicEvolving
public enum RedisDataType {
    /** One row per key; columns are hash fields by name. */
    HASH("hash"),
    /**
     * One row per key holding a RedisJSON document; columns are the document's top-level members by
     * name (read with JSON.GET and JSONPath). SCAN's TYPE for it is {@code ReJSON-RL}.
     */
    JSON("json", "ReJSON-RL"),
    /** One row per key; one value column holds the string value (read with MGET). */
    STRING("string"),
    /** One row per member of a set (read with SSCAN in pages). */
    SET("set"),
    /** One row per element of a list, with its index (read with LRANGE in pages). */
    LIST("list"),
    /** One row per member of a sorted set, with its score and rank (read with ZRANGE in pages). */
    ZSET("zset"),
    /**
     * One row per entry of a stream; columns are the entry's fields by name, with the entry ID as
     * metadata (read with XRANGE in pages, written with XADD).
     */
    STREAM("stream"),
    /**
     * One row per sample of a RedisTimeSeries series: its timestamp and value. Written with TS.ADD;
     * not readable yet. SCAN's TYPE for it is {@code TSDB-TYPE}.
     */
    TIMESERIES("timeseries", "TSDB-TYPE");

    private final String value;
    private final String scanType;

    RedisDataType(String value) {
        this(value, value);
    }

    RedisDataType(String value, String scanType) {
        this.value = value;
        this.scanType = scanType;
    }

    /** The argument of SCAN's TYPE filter for this type, e.g. {@code hash} or {@code ReJSON-RL}. */
    public String scanType() {
        return scanType;
    }

    /**
     * Whether a key holds many rows (one per member, element, entry or sample), read in pages,
     * rather than one: set, list, zset, stream and timeseries.
     *
     * @deprecated the connector asks the type's handler ({@code
     *     RedisTypes.of(type).readsMembers()}); kept for source compatibility
     */
    @Deprecated
    public boolean isCollection() {
        return this == SET || this == LIST || this == ZSET || this == STREAM || this == TIMESERIES;
    }

    /**
     * Whether a key holds many rows told apart by parts of each row (set, list and zset members,
     * timeseries samples), named by the {@code *.column} options.
     *
     * @deprecated the connector asks the type's handler ({@code
     *     RedisTypes.of(type).recordParts()}); kept for source compatibility
     */
    @Deprecated
    public boolean hasRecordParts() {
        return this == SET || this == LIST || this == ZSET || this == TIMESERIES;
    }

    /** The option value, e.g. {@code hash}. */
    public String value() {
        return value;
    }

    /**
     * Parses an option value, ignoring case.
     *
     * @throws IllegalArgumentException naming the option, the value and the accepted values
     */
    public static RedisDataType fromOption(String optionKey, String value) {
        for (RedisDataType t : values()) {
            if (t.value.equalsIgnoreCase(value.trim())) {
                return t;
            }
        }
        throw new IllegalArgumentException(
                String.format(
                        "Invalid value '%s' for option '%s'. Accepted values: %s.",
                        value, optionKey, acceptedValues()));
    }

    /** The accepted option values, comma separated. */
    public static String acceptedValues() {
        return Arrays.stream(values()).map(RedisDataType::value).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return value.toLowerCase(Locale.ROOT);
    }
}
