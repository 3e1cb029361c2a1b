package io.github.flinkredis.connector.table;

import io.github.flinkredis.connector.convert.RedisRowDataDeserializer;
import org.apache.flink.annotation.Internal;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.types.DataType;

/**
 * The metadata a redis table can read: {@code METADATA FROM 'key'} and {@code 'ttl'}; for a stream
 * also {@code 'id'} and {@code 'timestamp'}; for a timeseries {@code 'labels'}.
 */
@Internal
enum RedisReadableMetadata {
    /** The full Redis key, STRING NOT NULL. */
    KEY("key", DataTypes.STRING().notNull(), RedisRowDataDeserializer.Source.METADATA_KEY),
    /**
     * Remaining time to live in milliseconds (PTTL, fetched only when selected), -1 for a key
     * without expiry; BIGINT NOT NULL.
     */
    TTL("ttl", DataTypes.BIGINT().notNull(), RedisRowDataDeserializer.Source.METADATA_TTL),
    /** A stream entry's ID ({@code <ms>-<seq>}), STRING NOT NULL; stream tables only. */
    ID("id", DataTypes.STRING().notNull(), RedisRowDataDeserializer.Source.METADATA_ENTRY_ID),
    /**
     * A stream entry's time (the milliseconds part of its ID), TIMESTAMP_LTZ(3) NOT NULL; stream
     * tables only.
     */
    TIMESTAMP(
            "timestamp",
            DataTypes.TIMESTAMP_LTZ(3).notNull(),
            RedisRowDataDeserializer.Source.METADATA_ENTRY_TIMESTAMP),
    /**
     * The labels of a timeseries sample's series (TS.INFO), MAP&lt;STRING, STRING&gt; NOT NULL;
     * timeseries tables only.
     */
    LABELS(
            "labels",
            DataTypes.MAP(DataTypes.STRING(), DataTypes.STRING()).notNull(),
            RedisRowDataDeserializer.Source.METADATA_LABELS);

    /** Whether a table of {@code type} has this metadata. */
    boolean appliesTo(io.github.flinkredis.connector.config.RedisDataType type) {
        switch (this) {
            case ID:
            case TIMESTAMP:
                return type == io.github.flinkredis.connector.config.RedisDataType.STREAM;
            case LABELS:
                return type == io.github.flinkredis.connector.config.RedisDataType.TIMESERIES;
            default:
                return true;
        }
    }

    final String key;
    final DataType dataType;
    final RedisRowDataDeserializer.Source source;

    RedisReadableMetadata(String key, DataType dataType, RedisRowDataDeserializer.Source source) {
        this.key = key;
        this.dataType = dataType;
        this.source = source;
    }

    static RedisReadableMetadata of(String key) {
        for (RedisReadableMetadata m : values()) {
            if (m.key.equals(key)) {
                return m;
            }
        }
        throw new IllegalArgumentException("Unknown metadata key: " + key);
    }
}
