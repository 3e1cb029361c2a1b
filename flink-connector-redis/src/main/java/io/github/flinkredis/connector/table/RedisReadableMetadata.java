package io.github.flinkredis.connector.table;

import io.github.flinkredis.connector.convert.RedisColumnSource;
import io.github.flinkredis.connector.types.spi.RedisMetadataColumn;
import io.github.flinkredis.connector.types.spi.RedisTypeHandler;
import java.util.ArrayList;
import java.util.List;
import javax.annotation.Nullable;
import org.apache.flink.annotation.Internal;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.catalog.Column;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.LogicalTypeFamily;

/**
 * The metadata a redis table can read: {@code METADATA FROM 'key'} and {@code 'ttl'}, which every
 * table has, then what the table's data type offers besides ({@link
 * RedisTypeHandler#readableMetadata}: a stream's {@code 'id'} and {@code 'timestamp'}, a
 * timeseries' {@code 'labels'}).
 */
@Internal
final class RedisReadableMetadata {

    /**
     * The full Redis key: STRING NOT NULL by default; see {@link #keyType} for the type a table's
     * column {@code METADATA FROM 'key'} gets.
     */
    static final RedisMetadataColumn KEY =
            new RedisMetadataColumn(
                    "key", DataTypes.STRING().notNull(), RedisColumnSource.METADATA_KEY);

    /**
     * Remaining time to live in milliseconds (PTTL, fetched only when selected), -1 for a key
     * without expiry; BIGINT NOT NULL.
     */
    static final RedisMetadataColumn TTL =
            new RedisMetadataColumn(
                    "ttl", DataTypes.BIGINT().notNull(), RedisColumnSource.METADATA_TTL);

    private RedisReadableMetadata() {}

    /**
     * The metadata a table of {@code type} can read, in the order it lists them: {@link #KEY},
     * {@link #TTL}, then the type's own.
     */
    static List<RedisMetadataColumn> of(RedisTypeHandler type) {
        List<RedisMetadataColumn> all = new ArrayList<>(List.of(KEY, TTL));
        all.addAll(type.readableMetadata());
        return all;
    }

    /**
     * The metadata {@code key} of a table of {@code type}.
     *
     * @throws IllegalArgumentException if such a table has no metadata {@code key}
     */
    static RedisMetadataColumn of(String key, RedisTypeHandler type) {
        for (RedisMetadataColumn m : of(type)) {
            if (m.key().equals(key)) {
                return m;
            }
        }
        throw new IllegalArgumentException("Unknown metadata key: " + key);
    }

    /**
     * The type of metadata {@code m} in a table whose metadata {@code key} has type {@code keyType}
     * ({@link #keyType}): its own type for the others.
     */
    static DataType typeOf(RedisMetadataColumn m, DataType keyType) {
        return m.equals(KEY) ? keyType : m.dataType();
    }

    /**
     * The type of metadata {@code key} for a table whose column {@code METADATA FROM 'key'} is
     * declared as {@code declared}: BYTES (the key's bytes exactly) for a BINARY or VARBINARY
     * column, else STRING (the key as UTF-8 text: a key that is not is a parse error), as nullable
     * as the column; STRING NOT NULL for a table without such a column (null).
     */
    static DataType keyType(@Nullable LogicalType declared) {
        if (declared == null) {
            return KEY.dataType();
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
                if (KEY.key().equals(m.getMetadataKey().orElse(m.getName()))
                        && !(writtenOnly && m.isVirtual())) {
                    return m.getDataType().getLogicalType();
                }
            }
        }
        return null;
    }
}
