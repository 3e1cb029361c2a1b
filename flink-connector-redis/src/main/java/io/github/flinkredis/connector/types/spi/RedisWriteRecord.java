package io.github.flinkredis.connector.types.spi;

import javax.annotation.Nullable;
import org.apache.flink.annotation.Internal;

/**
 * What a {@link RedisTypeWriter} reads of one write: the parts of a sink mutation, as bytes. The
 * sink hands the same (reused) view over each of its mutations, so that no object is made per row.
 *
 * <p>Which parts a data type uses: hash {@link #fieldNames()} and {@link #values()} (null: the
 * field is removed); string, json, set, list, zset {@code values()[0]} (string: null removes the
 * key), with {@link #score()} for a zset; stream the fields, {@link #entryId()}; timeseries {@link
 * #timestamp()}, {@link #score()} as the sample's value and the labels in the fields.
 */
@Internal
public interface RedisWriteRecord {

    /** The key written. */
    byte[] key();

    /** Hash fields, stream fields or timeseries labels; empty where the type has none. */
    byte[][] fieldNames();

    /** Their values; for a one-value type, the value, member, element or document in [0]. */
    byte[][] values();

    /** A sorted set member's score, a timeseries sample's value. */
    double score();

    /** A timeseries sample's timestamp, in milliseconds since the epoch. */
    long timestamp();

    /** A stream entry's ID, or null for a new one ({@code *}). */
    @Nullable
    byte[] entryId();

    /**
     * The time to live of each hash field written, in milliseconds: 0 for none, -1 (the default)
     * for the sink's option {@code sink.hash.field-ttl}.
     */
    default long fieldTtlMillis() {
        return -1;
    }
}
