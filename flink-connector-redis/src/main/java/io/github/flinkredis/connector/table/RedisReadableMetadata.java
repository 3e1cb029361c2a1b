package io.github.flinkredis.connector.table;

import io.github.flinkredis.connector.convert.RedisColumnSource;
import io.github.flinkredis.connector.types.spi.RedisTypeHandler;
import javax.annotation.Nullable;
import org.apache.flink.annotation.Internal;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.catalog.Column;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.LogicalTypeFamily;

/**
 * The metadata a redis table can read: {@code METADATA FROM 'key'} and {@code 'ttl'}; for a stream
 * also {@code 'id'} and {@code 'timestamp'}; for a timeseries {@code 'labels'}.
 */
@Internal
enum RedisReadableMetadata {
    /**
     * The full Redis key: STRING NOT NULL by default; see {@link #keyType} for the type a table's
     * column {@code METADATA FROM 'key'} gets.
     */
    KEY("key", DataTypes.STRING().notNull(), RedisColumnSource.METADATA_KEY),
    /**
     * Remaining time to live in milliseconds (PTTL, fetched only when selected), -1 for a key
     * without expiry; BIGINT NOT NULL.
     */
    TTL("ttl", DataTypes.BIGINT().notNull(), RedisColumnSource.METADATA_TTL),
    /** A stream entry's ID ({@code <ms>-<seq>}), STRING NOT NULL; stream tables only. */
    ID("id", DataTypes.STRING().notNull(), RedisColumnSource.METADATA_ENTRY_ID),
    /**
     * A stream entry's time (the milliseconds part of its ID), TIMESTAMP_LTZ(3) NOT NULL; stream
     * tables only.
     */
    TIMESTAMP(
            "timestamp",
            DataTypes.TIMESTAMP_LTZ(3).notNull(),
            RedisColumnSource.METADATA_ENTRY_TIMESTAMP),
    /**
     * The labels of a timeseries sample's series (TS.INFO), MAP&lt;STRING, STRING&gt; NOT NULL;
     * timeseries tables only.
     */
    LABELS(
            "labels",
            DataTypes.MAP(DataTypes.STRING(), DataTypes.STRING()).notNull(),
            RedisColumnSource.METADATA_LABELS);

    /**
     * The type of metadata {@code key} for a table whose column {@code METADATA FROM 'key'} is
     * declared as {@code declared}: BYTES (the key's bytes exactly) for a BINARY or VARBINARY
     * column, else STRING (the key as UTF-8 text: a key that is not is a parse error), as nullable
     * as the column; STRING NOT NULL for a table without such a column (null).
     */
    static DataType keyType(@Nullable LogicalType declared) {
        if (declared == null) {
            return KEY.dataType;
        }
        DataType type =
                declared.is(LogicalTypeFamily.BINARY_STRING)
                        ? DataTypes.BYTES()
                        : DataTypes.STRING();
        return declared.isNullable() ? type.nullable() : type.notNull();
    }

    /**
     * The type declared for the column {@code METADATA FROM 'key'} of {@code schema} (Flink allows
     * one per metadata key), or null where there is none, or where it is VIRTUAL and {@code
     * writtenOnly} (a sink writes only the others).
     */
    @Nullable
    static LogicalType declaredKeyType(ResolvedSchema schema, boolean writtenOnly) {
        for (Column column : schema.getColumns()) {
            if (column instanceof Column.MetadataColumn) {
                Column.MetadataColumn m = (Column.MetadataColumn) column;
                if (KEY.key.equals(m.getMetadataKey().orElse(m.getName()))
                        && !(writtenOnly && m.isVirtual())) {
                    return m.getDataType().getLogicalType();
                }
            }
        }
        return null;
    }

    /**
     * Whether a table of {@code type} has this metadata: {@code key} and {@code ttl} every table,
     * the others those whose type offers them ({@link RedisTypeHandler#metadataKeys}).
     */
    boolean appliesTo(RedisTypeHandler type) {
        return this == KEY || this == TTL || type.metadataKeys().contains(key);
    }

    final String key;
    final DataType dataType;
    final RedisColumnSource source;

    RedisReadableMetadata(String key, DataType dataType, RedisColumnSource source) {
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
