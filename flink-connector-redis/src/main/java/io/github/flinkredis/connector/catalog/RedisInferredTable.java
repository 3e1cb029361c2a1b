package io.github.flinkredis.connector.catalog;

import io.github.flinkredis.connector.config.RedisConnectorOptions;
import io.github.flinkredis.connector.config.RedisDataType;
import io.github.flinkredis.connector.config.RedisTableLayout;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.annotation.Nullable;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.table.api.Schema;

/**
 * A table inferred from a sample of keys ({@link RedisSchemaInference}): its data type, its keys (a
 * prefix and the key's variable part as the PRIMARY KEY column, or one literal key), and its
 * columns with their confidence.
 *
 * @param dataType the keys' data type
 * @param keyPrefix the keys' prefix, or null for a table of one literal key
 * @param key for a table of one literal key, that key, else null
 * @param columns the columns, the PRIMARY KEY column (if any) first
 * @param sampledKeys the keys whose values the columns were inferred from
 * @param labelColumns for a timeseries table, the columns read from the series' labels ({@code
 *     label.columns}); else empty
 */
@PublicEvolving
public record RedisInferredTable(
        RedisDataType dataType,
        @Nullable String keyPrefix,
        @Nullable String key,
        List<RedisInferredColumn> columns,
        int sampledKeys,
        List<String> labelColumns) {

    /** The Flink schema: the columns with their comments, and the PRIMARY KEY. */
    public Schema schema() {
        Schema.Builder b = Schema.newBuilder();
        List<String> primaryKey = new ArrayList<>();
        for (RedisInferredColumn c : columns) {
            if (c.metadataKey() != null) {
                b.columnByMetadata(c.name(), c.type(), c.metadataKey(), true)
                        .withComment(c.comment());
                continue;
            }
            b.column(c.name(), c.primaryKey() ? c.type().notNull() : c.type())
                    .withComment(c.comment());
            if (c.primaryKey()) {
                primaryKey.add(c.name());
            }
        }
        if (!primaryKey.isEmpty()) {
            b.primaryKey(primaryKey);
        }
        return b.build();
    }

    /**
     * The table's own options of the {@code redis} connector: {@code data-type} and {@code
     * key.prefix} (or {@code key.pattern}, the literal key with its glob characters escaped); a
     * stream table's {@code scan.bounded.mode} {@code latest}.
     */
    public Map<String, String> options() {
        Map<String, String> options = new LinkedHashMap<>();
        options.put(RedisConnectorOptions.DATA_TYPE.key(), dataType.value());
        if (keyPrefix != null) {
            options.put(RedisConnectorOptions.KEY_PREFIX.key(), keyPrefix);
        } else {
            options.put(
                    RedisConnectorOptions.KEY_PATTERN.key(), RedisTableLayout.patternForKey(key));
        }
        if (!labelColumns.isEmpty()) {
            options.put(RedisConnectorOptions.LABEL_COLUMNS.key(), String.join(";", labelColumns));
        }
        if (dataType == RedisDataType.STREAM) {
            // bounded: read to each stream's last entry, so that a batch query ends
            options.put(RedisConnectorOptions.SCAN_BOUNDED_MODE.key(), "latest");
        }
        return options;
    }
}
