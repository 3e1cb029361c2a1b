package io.github.flinkredis.connector.table;

import io.github.flinkredis.connector.config.RedisConnectionConfig;
import io.github.flinkredis.connector.config.RedisScanOptions;
import io.github.flinkredis.connector.convert.RedisRowDataDeserializer;
import io.github.flinkredis.connector.source.RedisSource;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.IntStream;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.connector.source.DynamicTableSource;
import org.apache.flink.table.connector.source.ScanTableSource;
import org.apache.flink.table.connector.source.SourceProvider;
import org.apache.flink.table.connector.source.abilities.SupportsLimitPushDown;
import org.apache.flink.table.connector.source.abilities.SupportsProjectionPushDown;
import org.apache.flink.table.connector.source.abilities.SupportsReadingMetadata;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.RowType;

/**
 * A bounded scan of the hashes or strings of a redis table.
 *
 * <p>Pushdown: projection (only the selected hash fields are fetched, with HMGET; a string's value
 * only when its column is selected, with MGET; a query that needs only keys fetches nothing per
 * key), limit (each reader stops after N rows), and the readable metadata {@code key} and {@code
 * ttl} (PTTL only when selected). Filters are not pushed down: Flink evaluates them.
 *
 * <p>A value object: {@link #copy()}, equals and hashCode include the pushed-down state.
 */
@Internal
public class RedisDynamicTableSource
        implements ScanTableSource,
                SupportsProjectionPushDown,
                SupportsLimitPushDown,
                SupportsReadingMetadata {

    private final RedisConnectionConfig connectionConfig;
    private final RedisScanOptions scanOptions;
    private final DataType physicalRowType;
    private final int[] primaryKeyIndices;
    private final ZoneId localTimeZone;

    // pushed-down state
    private int[] projectedFields;
    private List<String> metadataKeys = List.of();
    private long limit = -1;
    private DataType producedDataType;

    public RedisDynamicTableSource(
            RedisConnectionConfig connectionConfig,
            RedisScanOptions scanOptions,
            DataType physicalRowType,
            int[] primaryKeyIndices,
            ZoneId localTimeZone) {
        this.connectionConfig = connectionConfig;
        this.scanOptions = scanOptions;
        this.physicalRowType = physicalRowType;
        this.primaryKeyIndices = primaryKeyIndices;
        this.localTimeZone = localTimeZone;
        this.projectedFields = IntStream.range(0, fieldCount()).toArray();
        this.producedDataType = physicalRowType;
    }

    private int fieldCount() {
        return ((RowType) physicalRowType.getLogicalType()).getFieldCount();
    }

    @Override
    public ChangelogMode getChangelogMode() {
        return ChangelogMode.insertOnly();
    }

    @Override
    public ScanRuntimeProvider getScanRuntimeProvider(ScanContext context) {
        RowType physical = (RowType) physicalRowType.getLogicalType();
        List<RedisRowDataDeserializer.Column> columns = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        for (int index : projectedFields) {
            String name = physical.getFieldNames().get(index);
            int keyPart = indexOf(primaryKeyIndices, index);
            if (keyPart >= 0) {
                columns.add(
                        new RedisRowDataDeserializer.Column(
                                name,
                                RedisRowDataDeserializer.Source.KEY_PART,
                                keyPart,
                                physical.getTypeAt(index),
                                localTimeZone));
            } else {
                columns.add(
                        new RedisRowDataDeserializer.Column(
                                name,
                                RedisRowDataDeserializer.Source.FIELD,
                                fields.size(),
                                physical.getTypeAt(index),
                                localTimeZone));
                fields.add(name);
            }
        }
        boolean fetchTtl = false;
        for (String key : metadataKeys) {
            RedisReadableMetadata m = RedisReadableMetadata.of(key);
            fetchTtl |= m == RedisReadableMetadata.TTL;
            columns.add(
                    new RedisRowDataDeserializer.Column(
                            key, m.source, -1, m.dataType.getLogicalType(), localTimeZone));
        }
        TypeInformation<RowData> typeInfo = context.createTypeInformation(producedDataType);
        RedisRowDataDeserializer deserializer =
                new RedisRowDataDeserializer(
                        columns,
                        scanOptions.keyPrefix(),
                        scanOptions.keySeparator(),
                        primaryKeyIndices.length,
                        scanOptions.parseErrorPolicy(),
                        typeInfo);
        RedisSource<RowData> source =
                RedisSource.<RowData>builder()
                        .setConnectionConfig(connectionConfig)
                        .setKeyPattern(scanOptions.keyPattern())
                        .setDataType(scanOptions.dataType())
                        .setFields(fields)
                        .setFetchTtl(fetchTtl)
                        .setScanCount(scanOptions.scanCount())
                        .setBatchSize(scanOptions.batchSize())
                        .setMaxBatchesInFlight(scanOptions.maxBatchesInFlight())
                        .setLimit(limit)
                        .setDeserializer(deserializer)
                        .build();
        return SourceProvider.of(source, scanOptions.parallelism());
    }

    private static int indexOf(int[] array, int value) {
        for (int i = 0; i < array.length; i++) {
            if (array[i] == value) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public boolean supportsNestedProjection() {
        return false;
    }

    @Override
    public void applyProjection(int[][] projection, DataType producedDataType) {
        this.projectedFields = Arrays.stream(projection).mapToInt(path -> path[0]).toArray();
        this.producedDataType = producedDataType;
    }

    @Override
    public void applyLimit(long limit) {
        this.limit = limit;
    }

    @Override
    public Map<String, DataType> listReadableMetadata() {
        Map<String, DataType> metadata = new LinkedHashMap<>();
        for (RedisReadableMetadata m : RedisReadableMetadata.values()) {
            metadata.put(m.key, m.dataType);
        }
        return metadata;
    }

    @Override
    public void applyReadableMetadata(List<String> metadataKeys, DataType producedDataType) {
        this.metadataKeys = List.copyOf(metadataKeys);
        this.producedDataType = producedDataType;
    }

    @Override
    public DynamicTableSource copy() {
        RedisDynamicTableSource copy =
                new RedisDynamicTableSource(
                        connectionConfig,
                        scanOptions,
                        physicalRowType,
                        primaryKeyIndices,
                        localTimeZone);
        copy.projectedFields = projectedFields.clone();
        copy.metadataKeys = metadataKeys;
        copy.limit = limit;
        copy.producedDataType = producedDataType;
        return copy;
    }

    @Override
    public String asSummaryString() {
        return "Redis(" + scanOptions.dataType() + ")";
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof RedisDynamicTableSource)) {
            return false;
        }
        RedisDynamicTableSource that = (RedisDynamicTableSource) o;
        return connectionConfig.equals(that.connectionConfig)
                && scanOptions.equals(that.scanOptions)
                && physicalRowType.equals(that.physicalRowType)
                && Arrays.equals(primaryKeyIndices, that.primaryKeyIndices)
                && localTimeZone.equals(that.localTimeZone)
                && Arrays.equals(projectedFields, that.projectedFields)
                && metadataKeys.equals(that.metadataKeys)
                && limit == that.limit
                && producedDataType.equals(that.producedDataType);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                connectionConfig,
                scanOptions,
                physicalRowType,
                Arrays.hashCode(primaryKeyIndices),
                Arrays.hashCode(projectedFields),
                metadataKeys,
                limit);
    }
}
