package io.github.flinkredis.connector.model;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import javax.annotation.Nullable;
import org.apache.flink.annotation.Internal;
import org.apache.flink.annotation.PublicEvolving;

/**
 * What a scan read for one key of a hash table (or one member of a collection, one entry of a
 * stream): the key, the requested fields with their values and, if requested, the key's remaining
 * time to live.
 *
 * <p>Field names and values are raw bytes, exactly as Redis stores them. With a field list ({@code
 * HMGET}), {@link #fieldNames()} is that list for every record and a missing field's value is
 * {@code null}; without one ({@code HGETALL}), it holds the fields the hash has.
 */
@PublicEvolving
public final class RedisRecord {

    /** {@link #ttlMillis()} when the TTL was not fetched. */
    public static final long TTL_NOT_FETCHED = Long.MIN_VALUE;

    /** {@link #ttlMillis()} of a key without expiry, as PTTL answers. */
    public static final long NO_EXPIRY = -1;

    private final byte[] key;
    private final byte[][] fieldNames;
    private byte[][] values;
    private final long ttlMillis;
    @Nullable private final String entryId;
    @Nullable private final Map<String, String> labels;

    /**
     * For a timeseries sample: which fields hold the timestamp (the others the value); else null.
     */
    @Nullable private final boolean[] timestampFields;

    private final long sampleTimestamp;
    private final double sampleValue;

    public RedisRecord(byte[] key, byte[][] fieldNames, byte[][] values, long ttlMillis) {
        this(key, fieldNames, values, ttlMillis, null);
    }

    /**
     * A record of a stream entry: its fields and its entry ID ({@code <ms>-<seq>}).
     *
     * @param entryId the entry ID, or null for a record that is not a stream entry
     */
    public RedisRecord(
            byte[] key,
            byte[][] fieldNames,
            byte[][] values,
            long ttlMillis,
            @Nullable String entryId) {
        this(key, fieldNames, values, ttlMillis, entryId, null);
    }

    /**
     * A record of a timeseries sample, with the labels of its series.
     *
     * @param labels the series' labels (name to value), or null where they were not read
     */
    public RedisRecord(
            byte[] key,
            byte[][] fieldNames,
            byte[][] values,
            long ttlMillis,
            @Nullable String entryId,
            @Nullable Map<String, String> labels) {
        this.labels = labels;
        this.key = key;
        this.fieldNames = fieldNames;
        this.values = values;
        this.ttlMillis = ttlMillis;
        this.entryId = entryId;
        this.timestampFields = null;
        this.sampleTimestamp = 0;
        this.sampleValue = 0;
    }

    private RedisRecord(
            byte[] key,
            byte[][] fieldNames,
            boolean[] timestampFields,
            long timestamp,
            double value,
            long ttlMillis,
            @Nullable Map<String, String> labels) {
        this.key = key;
        this.fieldNames = fieldNames;
        this.values = null; // their text is made when asked for
        this.ttlMillis = ttlMillis;
        this.entryId = null;
        this.labels = labels;
        this.timestampFields = timestampFields;
        this.sampleTimestamp = timestamp;
        this.sampleValue = value;
    }

    /**
     * A record of a timeseries sample: its timestamp (ms) and value as numbers; {@link #values()}
     * gives them as decimal text.
     *
     * @param timestampFields for each of {@code fieldNames}, whether it holds the timestamp (else
     *     the value); shared by the records of one read, not copied
     * @param labels the series' labels (name to value), or null where they were not read
     */
    @Internal
    public static RedisRecord ofSample(
            byte[] key,
            byte[][] fieldNames,
            boolean[] timestampFields,
            long timestamp,
            double value,
            long ttlMillis,
            @Nullable Map<String, String> labels) {
        return new RedisRecord(
                key, fieldNames, timestampFields, timestamp, value, ttlMillis, labels);
    }

    /** Whether this is the record of a timeseries sample, with {@link #sampleTimestamp()}. */
    public boolean isSample() {
        return timestampFields != null;
    }

    /** Whether field {@code i} of a sample's record holds its timestamp (else its value). */
    public boolean isSampleTimestamp(int i) {
        return timestampFields != null && timestampFields[i];
    }

    /** A timeseries sample's timestamp, in ms since the epoch; 0 for other records. */
    public long sampleTimestamp() {
        return sampleTimestamp;
    }

    /** A timeseries sample's value; 0 for other records. */
    public double sampleValue() {
        return sampleValue;
    }

    /**
     * The labels of a timeseries sample's series (name to value, {@code TS.INFO}), or null where
     * they were not read.
     */
    @Nullable
    public Map<String, String> labels() {
        return labels;
    }

    /** A stream entry's ID ({@code <ms>-<seq>}), or null for a record of another type. */
    @Nullable
    public String entryId() {
        return entryId;
    }

    /** The key, raw bytes. */
    public byte[] key() {
        return key;
    }

    /**
     * The key decoded as UTF-8, leniently: bytes that are not valid UTF-8 become U+FFFD, so
     * distinct keys may give one string. {@link #key()} is the key.
     */
    public String keyAsString() {
        return new String(key, StandardCharsets.UTF_8);
    }

    /** Names of the fields in {@link #values()}, same order; empty when no value was fetched. */
    public byte[][] fieldNames() {
        return fieldNames;
    }

    /**
     * Field values aligned with {@link #fieldNames()}; {@code null} for a missing field. A sample's
     * timestamp and value are decimal text: a whole-number value without a fraction ({@code 4},
     * {@code -0}), so that integer columns read it too, else as {@link Double#toString} writes it
     * ({@code 21.5}, {@code NaN}, {@code Infinity}).
     */
    public byte[][] values() {
        if (values == null) {
            byte[][] text = new byte[fieldNames.length][];
            for (int i = 0; i < text.length; i++) {
                text[i] = timestampFields[i] ? decimal(sampleTimestamp) : text(sampleValue);
            }
            values = text;
        }
        return values;
    }

    private static byte[] text(double value) {
        if (value != Math.rint(value) || Math.abs(value) >= 1e15) {
            return Double.toString(value).getBytes(StandardCharsets.US_ASCII);
        }
        // -0.0 keeps its sign: a DOUBLE column reads -0.0, an integer column 0
        return value == 0 && 1 / value < 0 ? new byte[] {'-', '0'} : decimal((long) value);
    }

    /** The decimal ASCII digits of {@code v}, with a {@code -} if negative. */
    private static byte[] decimal(long v) {
        return Long.toString(v).getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Remaining time to live in milliseconds (PTTL), {@link #NO_EXPIRY} for a key without expiry,
     * or {@link #TTL_NOT_FETCHED}.
     */
    public long ttlMillis() {
        return ttlMillis;
    }
}
