package io.github.flinkredis.connector.table;

import io.github.flinkredis.connector.config.RedisConnectionConfig;
import io.github.flinkredis.connector.config.RedisDataType;
import io.github.flinkredis.connector.config.RedisTableLayout;
import io.github.flinkredis.connector.config.RedisTtlMode;
import io.github.flinkredis.connector.config.RedisWriteOptions;
import io.github.flinkredis.connector.sink.RedisRowDataMutations;
import io.github.flinkredis.connector.sink.RedisSink;
import io.github.flinkredis.connector.sink.RedisSinkWriter;
import io.github.flinkredis.connector.types.RedisTypes;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.annotation.Nullable;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSink;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.connector.ProviderContext;
import org.apache.flink.table.connector.sink.DataStreamSinkProvider;
import org.apache.flink.table.connector.sink.DynamicTableSink;
import org.apache.flink.table.connector.sink.SinkV2Provider;
import org.apache.flink.table.connector.sink.abilities.SupportsWritingMetadata;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.types.RowKind;
import org.apache.flink.util.MathUtils;

/**
 * Writes the rows of a redis table: with a PRIMARY KEY an upsert sink (INSERT and UPDATE_AFTER
 * write, DELETE and UPDATE_BEFORE remove the key, the member or the sample), without one, or for a
 * list or a stream, insert-only (a query producing updates then fails at planning). See {@link
 * RedisRowDataMutations} for what each row becomes and {@link
 * io.github.flinkredis.connector.sink.RedisSinkWriter} for how it is written.
 */
@Internal
public class RedisDynamicTableSink implements DynamicTableSink, SupportsWritingMetadata {

    private final RedisConnectionConfig connectionConfig;

    /** What the table's keys and columns mean. */
    private final RedisTableLayout layout;

    private final RedisWriteOptions writeOptions;
    private final DataType physicalRowType;
    private final int[] primaryKey;
    private final int[] keyParts;
    private final List<String> labelColumns;
    @Nullable private final Integer parallelism;

    /**
     * The type of metadata {@code key}: BYTES or STRING ({@link RedisReadableMetadata#keyType}).
     */
    private final DataType keyMetadataType;

    /** The row the sink consumes: the physical columns, then the metadata written. */
    private DataType consumedDataType;

    private List<String> metadataKeys = List.of();

    public RedisDynamicTableSink(
            RedisConnectionConfig connectionConfig,
            RedisTableLayout layout,
            RedisWriteOptions writeOptions,
            DataType physicalRowType,
            int[] primaryKey,
            int[] keyParts,
            List<String> labelColumns,
            @Nullable Integer parallelism,
            DataType keyMetadataType) {
        this.connectionConfig = connectionConfig;
        this.layout = layout;
        this.writeOptions = writeOptions;
        this.physicalRowType = physicalRowType;
        this.primaryKey = primaryKey;
        this.keyParts = keyParts;
        this.labelColumns = List.copyOf(labelColumns);
        this.parallelism = parallelism;
        this.keyMetadataType = keyMetadataType;
        this.consumedDataType = physicalRowType;
    }

    /**
     * The metadata a row can set: {@code key} (the full key to write to, instead of the one built
     * from {@code key.prefix} and the PRIMARY KEY: BYTES, written as they are, where the table
     * declares the column BYTES, else STRING, written as UTF-8), {@code ttl} (BIGINT, milliseconds;
     * a positive value sets the key's time to live after the write, overriding {@code sink.ttl};
     * NULL, 0 or a negative value sets none, so the -1 a scan reads for a key without expiry copies
     * as such), for a stream, {@code id} (STRING, the entry ID for XADD; NULL: a new one) and, for
     * a hash, {@code field-ttl} (BIGINT, milliseconds: the time to live of each field the row
     * writes, overriding {@code sink.hash.field-ttl}; NULL, 0 or negative: none; Redis 7.4+).
     */
    @Override
    public Map<String, DataType> listWritableMetadata() {
        Map<String, DataType> metadata = new LinkedHashMap<>();
        metadata.put(KEY, keyMetadataType);
        metadata.put(RedisReadableMetadata.TTL.key(), DataTypes.BIGINT());
        if (RedisTypes.of(writeOptions.dataType()).writesEntryIds()) {
            metadata.put(ENTRY_ID, DataTypes.STRING());
        }
        if (writeOptions.dataType() == RedisDataType.HASH) {
            metadata.put(FIELD_TTL, DataTypes.BIGINT());
        }
        return metadata;
    }

    /** The writable metadata key of the full key. */
    static final String KEY = RedisReadableMetadata.KEY.key();

    /** The writable metadata key of a stream entry's ID. */
    static final String ENTRY_ID = "id";

    /** The writable metadata key of a hash row's field TTL. */
    static final String FIELD_TTL = "field-ttl";

    @Override
    public void applyWritableMetadata(List<String> metadataKeys, DataType consumedDataType) {
        if (metadataKeys.contains(RedisReadableMetadata.TTL.key())
                && writeOptions.ttlMode() == RedisTtlMode.KEEP) {
            throw new ValidationException(
                    "The metadata column 'ttl' sets a time to live per row, but option"
                            + " 'sink.ttl.mode' = 'keep' sets none: remove the column or choose"
                            + " 'on-write' or 'on-create'.");
        }
        if (metadataKeys.contains(FIELD_TTL)) {
            try {
                RedisSinkWriter.checkWriteOptions(
                        writeOptions.withHashFieldTtl(Duration.ofMillis(1)));
            } catch (IllegalArgumentException e) {
                throw new ValidationException(
                        "The metadata column 'field-ttl' cannot apply: " + e.getMessage());
            }
        }
        this.metadataKeys = List.copyOf(metadataKeys);
        this.consumedDataType = consumedDataType;
    }

    /**
     * Insert-only for an insert-only input, for a table without a PRIMARY KEY and for a list or a
     * stream (appends: a query producing updates into one then fails at planning); else upsert
     * (INSERT, UPDATE_AFTER, DELETE). UPDATE_BEFORE is never requested, so that the planner sends
     * none where it can do without; where it still sends them (a filter on a value an aggregation
     * updates) they are written as deletes ({@link RedisRowDataMutations}).
     *
     * <p>Following an insert-only input keeps Flink 2.3 from asking for an {@code ON CONFLICT}
     * clause where the input has no upsert key (an {@code INSERT ... VALUES} into a table with a
     * PRIMARY KEY): the clause is needed only where an updating input's upsert key differs from the
     * PRIMARY KEY.
     */
    @Override
    public ChangelogMode getChangelogMode(ChangelogMode requestedMode) {
        if (!isUpsert() || requestedMode.containsOnly(RowKind.INSERT)) {
            return ChangelogMode.insertOnly();
        }
        return ChangelogMode.upsert();
    }

    /** Whether the table takes updates and deletes: a PRIMARY KEY, not a list or a stream. */
    private boolean isUpsert() {
        return primaryKey.length > 0 && !RedisTypes.of(writeOptions.dataType()).appendOnly();
    }

    @Override
    public SinkRuntimeProvider getSinkRuntimeProvider(Context context) {
        RedisRowDataMutations mutations =
                new RedisRowDataMutations(
                        layout,
                        (RowType) consumedDataType.getLogicalType(),
                        keyParts,
                        labelColumns,
                        new RedisRowDataMutations.MetadataPositions(
                                metadataPosition(KEY),
                                metadataPosition(RedisReadableMetadata.TTL.key()),
                                metadataPosition(ENTRY_ID),
                                metadataPosition(FIELD_TTL)));
        RedisSink<RowData> sink =
                RedisSink.<RowData>builder()
                        .setConnectionConfig(connectionConfig)
                        .setWriteOptions(writeOptions)
                        .setSerializer(mutations)
                        .build();
        if (isUpsert() && !metadataKeys.contains(KEY)) {
            // Flink routes the rows of one PRIMARY KEY, and so of one key, to one writer, for an
            // insert-only input as for a changelog (table.exec.sink.keyed-shuffle)
            return SinkV2Provider.of(sink, parallelism);
        }
        // appends (and keys from the 'key' column): rows are routed by key, so that each key gets
        // them in input order also where the sink's parallelism differs from its input's
        return new DataStreamSinkProvider() {
            @Override
            public DataStreamSink<?> consumeDataStream(
                    ProviderContext providerContext, DataStream<RowData> dataStream) {
                // a custom partitioning, not keyBy: in batch mode a keyed input gets sorted by
                // key, which does not keep the order of one key's rows
                DataStreamSink<RowData> out =
                        dataStream
                                .partitionCustom(
                                        (key, writers) ->
                                                MathUtils.murmurHash(key.hashCode()) % writers,
                                        new ByKey(mutations))
                                .sinkTo(sink);
                providerContext.generateUid("redis-sink").ifPresent(out::uid);
                if (parallelism != null) {
                    out.setParallelism(parallelism);
                }
                return out;
            }

            @Override
            public Optional<Integer> getParallelism() {
                return Optional.ofNullable(parallelism);
            }
        };
    }

    /** The key a row is written to, for routing the rows of one key to one writer. */
    private static final class ByKey implements KeySelector<RowData, String> {
        private static final long serialVersionUID = 1L;
        private final RedisRowDataMutations mutations;

        ByKey(RedisRowDataMutations mutations) {
            this.mutations = mutations;
        }

        @Override
        public String getKey(RowData row) {
            return mutations.keyOf(row);
        }
    }

    /** Where the consumed row holds metadata {@code key}, after the physical columns; or -1. */
    private int metadataPosition(String key) {
        int i = metadataKeys.indexOf(key);
        return i < 0 ? -1 : ((RowType) physicalRowType.getLogicalType()).getFieldCount() + i;
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
                        labelColumns,
                        parallelism,
                        keyMetadataType);
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
                && labelColumns.equals(that.labelColumns)
                && Objects.equals(parallelism, that.parallelism)
                && keyMetadataType.equals(that.keyMetadataType);
    }

    @Override
    public int hashCode() {
        return Objects.hash(connectionConfig, layout, writeOptions, physicalRowType, parallelism);
    }
}
