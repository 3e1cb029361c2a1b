package io.github.flinkredis.connector.source;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import javax.annotation.Nullable;
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
    private final byte[][] values;
    private final long ttlMillis;
    @Nullable private final String entryId;
    @Nullable private final Map<String, String> labels;

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

    /** The key decoded as UTF-8. */
    public String keyAsString() {
        return new String(key, StandardCharsets.UTF_8);
    }

    /** Names of the fields in {@link #values()}, same order; empty when no value was fetched. */
    public byte[][] fieldNames() {
        return fieldNames;
    }

    /** Field values aligned with {@link #fieldNames()}; {@code null} for a missing field. */
    public byte[][] values() {
        return values;
    }

    /**
     * Remaining time to live in milliseconds (PTTL), {@link #NO_EXPIRY} for a key without expiry,
     * or {@link #TTL_NOT_FETCHED}.
     */
    public long ttlMillis() {
        return ttlMillis;
    }
}
