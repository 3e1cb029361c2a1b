package io.github.flinkredis.connector.convert;

import org.apache.flink.annotation.Internal;

/** Where a column of a row that {@link RedisRowDataDeserializer} builds takes its value from. */
@Internal
public enum RedisColumnSource {
    /** A fetched field: {@code index} into the record's values. */
    FIELD,
    /** A part of the key after the prefix: {@code index} of the PRIMARY KEY column. */
    KEY_PART,
    /**
     * The full key: as BYTES (VARBINARY, BINARY) exactly; as STRING (CHAR, VARCHAR) where it is
     * valid UTF-8, else a parse error.
     */
    METADATA_KEY,
    /** The remaining TTL in milliseconds as BIGINT, -1 without expiry. */
    METADATA_TTL,
    /** A stream entry's ID as STRING ({@code <ms>-<seq>}). */
    METADATA_ENTRY_ID,
    /** A stream entry's time, the milliseconds of its ID, as TIMESTAMP_LTZ(3). */
    METADATA_ENTRY_TIMESTAMP,
    /** A timeseries sample's series labels as MAP&lt;STRING, STRING&gt;. */
    METADATA_LABELS,
    /** The label of a timeseries sample's series named like the column, parsed as its type. */
    LABEL,
    /**
     * A column of the value decoded by a Flink format: {@code index} into the decoded row (see
     * {@link RedisRowDataDeserializer#withValueFormat}).
     */
    VALUE_FORMAT;

    /**
     * Whether a column of this source takes its value from the labels of the record's series
     * ({@link #LABEL}, {@link #METADATA_LABELS}): a read with such a column fetches them (TS.INFO).
     */
    public boolean readsLabels() {
        return this == LABEL || this == METADATA_LABELS;
    }
}
