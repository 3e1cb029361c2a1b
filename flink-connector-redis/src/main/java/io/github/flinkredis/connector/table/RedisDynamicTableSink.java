package io.github.flinkredis.connector.table;

import io.github.flinkredis.connector.config.RedisConnectionConfig;
import io.github.flinkredis.connector.config.RedisDataType;
import io.github.flinkredis.connector.config.RedisScanOptions;
import io.github.flinkredis.connector.config.RedisWriteOptions;
import io.github.flinkredis.connector.sink.RedisRowDataMutations;
import io.github.flinkredis.connector.sink.RedisSink;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.annotation.Nullable;
import org.apache.flink.annotation.Internal;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.connector.sink.DynamicTableSink;
import org.apache.flink.table.connector.sink.SinkV2Provider;
import org.apache.flink.table.connector.sink.abilities.SupportsWritingMetadata;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.RowType;

/**
 * Writes the rows of a redis table: with a PRIMARY KEY an upsert sink (INSERT and UPDATE_AFTER
 * write, DELETE removes the key or the member), without one, or for a list, insert-only (a query
 * producing updates then fails at planning). See {@link RedisRowDataMutations} for what each row
 * becomes and {@link io.github.flinkredis.connector.sink.RedisSinkWriter} for how it is written.
 */
@Internal
public class RedisDynamicTableSink implements DynamicTableSink, SupportsWritingMetadata {

    private final RedisConnectionConfig connectionConfig;
    private final RedisScanOptions layout;
    private final RedisWriteOptions writeOptions;
    private final DataType physicalRowType;
    private final int[] primaryKey;
    private final int[] keyParts;
    @Nullable private final Integer parallelism;

    /** The row the sink consumes: the physical columns, then the metadata written. */
    private DataType consumedDataType;

    private List<String> metadataKeys = List.of();

    public RedisDynamicTableSink(
            RedisConnectionConfig connectionConfig,
            RedisScanOptions layout,
            RedisWriteOptions writeOptions,
            DataType physicalRowType,
            int[] primaryKey,
            int[] keyParts,
            @Nullable Integer parallelism) {
        this.connectionConfig = connectionConfig;
        this.layout = layout;
        this.writeOptions = writeOptions;
        this.physicalRowType = physicalRowType;
        this.primaryKey = primaryKey;
        this.keyParts = keyParts;
        this.parallelism = parallelism;
        this.consumedDataType = physicalRowType;
    }

    /**
     * The metadata a row can set: {@code ttl} (BIGINT, milliseconds; a positive value sets the
     * key's time to live after the write, overriding {@code sink.ttl}; NULL, 0 or a negative value
     * sets none, so the -1 a scan reads for a key without expiry copies as such).
     */
    @Override
    public Map<String, DataType> listWritableMetadata() {
        return Map.of(RedisReadableMetadata.TTL.key, DataTypes.BIGINT());
    }

    @Override
    public void applyWritableMetadata(List<String> metadataKeys, DataType consumedDataType) {
        this.metadataKeys = List.copyOf(metadataKeys);
        this.consumedDataType = consumedDataType;
    }

    @Override
    public ChangelogMode getChangelogMode(ChangelogMode requestedMode) {
        if (primaryKey.length == 0 || writeOptions.dataType() == RedisDataType.LIST) {
            return ChangelogMode.insertOnly();
        }
        return ChangelogMode.upsert();
    }

    @Override
    public SinkRuntimeProvider getSinkRuntimeProvider(Context context) {
        RedisRowDataMutations mutations =
                new RedisRowDataMutations(
                        writeOptions.dataType(),
                        layout.keyPrefix(),
                        layout.keySeparator(),
                        (RowType) consumedDataType.getLogicalType(),
                        keyParts,
                        layout.memberColumns(),
                        metadataKeys.contains(RedisReadableMetadata.TTL.key)
                                ? ((RowType) physicalRowType.getLogicalType()).getFieldCount()
                                        + metadataKeys.indexOf(RedisReadableMetadata.TTL.key)
                                : -1);
        RedisSink<RowData> sink =
                RedisSink.<RowData>builder()
                        .setConnectionConfig(connectionConfig)
                        .setWriteOptions(writeOptions)
                        .setSerializer(mutations)
                        .build();
        return SinkV2Provider.of(sink, parallelism);
    }

    @Override
    public DynamicTableSink copy() {
        RedisDynamicTableSink copy =
                new RedisDynamicTableSink(
                        connectionConfig,
                        layout,
                        writeOptions,
                        physicalRowType,
                        primaryKey,
                        keyParts,
                        parallelism);
        copy.metadataKeys = metadataKeys;
        copy.consumedDataType = consumedDataType;
        return copy;
    }

    @Override
    public String asSummaryString() {
        return "Redis(" + writeOptions.dataType() + ")";
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof RedisDynamicTableSink)) {
            return false;
        }
        RedisDynamicTableSink that = (RedisDynamicTableSink) o;
        return connectionConfig.equals(that.connectionConfig)
                && layout.equals(that.layout)
                && writeOptions.equals(that.writeOptions)
                && physicalRowType.equals(that.physicalRowType)
                && Arrays.equals(primaryKey, that.primaryKey)
                && metadataKeys.equals(that.metadataKeys)
                && Objects.equals(parallelism, that.parallelism);
    }

    @Override
    public int hashCode() {
        return Objects.hash(connectionConfig, layout, writeOptions, physicalRowType, parallelism);
    }
}
