package io.github.flinkredis.connector.table;

import io.github.flinkredis.connector.config.RedisConnectionConfig;
import io.github.flinkredis.connector.config.RedisConnectorOptions;
import io.github.flinkredis.connector.config.RedisDataType;
import io.github.flinkredis.connector.config.RedisScanOptions;
import io.github.flinkredis.connector.convert.RedisKeyBuilder;
import io.github.flinkredis.connector.convert.RedisRowDataDeserializer;
import io.github.flinkredis.connector.lookup.RedisLookupKeys;
import io.github.flinkredis.connector.lookup.RedisLookupOptions;
import io.github.flinkredis.connector.lookup.RedisLookupReader;
import io.github.flinkredis.connector.lookup.RedisRowDataAsyncLookupFunction;
import io.github.flinkredis.connector.lookup.RedisRowDataLookupFunction;
import io.github.flinkredis.connector.model.RedisMemberRange;
import io.github.flinkredis.connector.model.RedisReadSpec;
import io.github.flinkredis.connector.model.RedisTimeSeriesAggregation;
import io.github.flinkredis.connector.source.RedisScanInputFormat;
import io.github.flinkredis.connector.source.RedisSource;
import io.github.flinkredis.connector.source.RedisSourceBuilder;
import io.github.flinkredis.connector.source.stream.RedisStreamSource;
import io.github.flinkredis.connector.source.stream.RedisStreamSourceBuilder;
import io.github.flinkredis.connector.types.stream.RedisStreamOptions;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import javax.annotation.Nullable;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.connector.ProviderContext;
import org.apache.flink.table.connector.format.DecodingFormat;
import org.apache.flink.table.connector.source.DataStreamScanProvider;
import org.apache.flink.table.connector.source.DynamicTableSource;
import org.apache.flink.table.connector.source.InputFormatProvider;
import org.apache.flink.table.connector.source.LookupTableSource;
import org.apache.flink.table.connector.source.ScanTableSource;
import org.apache.flink.table.connector.source.SourceProvider;
import org.apache.flink.table.connector.source.abilities.SupportsFilterPushDown;
import org.apache.flink.table.connector.source.abilities.SupportsLimitPushDown;
import org.apache.flink.table.connector.source.abilities.SupportsProjectionPushDown;
import org.apache.flink.table.connector.source.abilities.SupportsReadingMetadata;
import org.apache.flink.table.connector.source.abilities.SupportsWatermarkPushDown;
import org.apache.flink.table.connector.source.lookup.AsyncLookupFunctionProvider;
import org.apache.flink.table.connector.source.lookup.FullCachingLookupProvider;
import org.apache.flink.table.connector.source.lookup.LookupFunctionProvider;
import org.apache.flink.table.connector.source.lookup.PartialCachingAsyncLookupProvider;
import org.apache.flink.table.connector.source.lookup.PartialCachingLookupProvider;
import org.apache.flink.table.connector.source.lookup.cache.LookupCache;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.expressions.ResolvedExpression;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.LogicalTypeFamily;
import org.apache.flink.table.types.logical.LogicalTypeRoot;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.types.RowKind;

/**
 * A bounded scan of the hashes, strings, sets, lists or sorted sets of a redis table.
 *
 * <p>Pushdown: projection (only the selected hash fields are fetched, with HMGET; a string's value
 * only when its column is selected, with MGET; a query that needs only keys fetches nothing per
 * key), limit (each reader stops after N rows), the readable metadata {@code key} and {@code ttl}
 * (PTTL only when selected), and filters: on the key (point reads or a narrower SCAN MATCH, see
 * {@link RedisKeyFilters}; Flink evaluates these again) and on a list's index or a sorted set's
 * score (the bounds of LRANGE or ZRANGE ... BYSCORE, see {@link RedisMemberFilters}; exact, so
 * Flink does not).
 *
 * <p>For sets, lists and sorted sets, the PRIMARY KEY columns parsed from the key are those that
 * are not the member or index column.
 *
 * <p>A value object: {@link #copy()}, equals and hashCode include the pushed-down state.
 */
@Internal
public class RedisDynamicTableSource
        implements ScanTableSource,
                LookupTableSource,
                SupportsProjectionPushDown,
                SupportsLimitPushDown,
                SupportsReadingMetadata,
                SupportsFilterPushDown,
                SupportsWatermarkPushDown {

    private final RedisConnectionConfig connectionConfig;
    private final RedisScanOptions scanOptions;
    private final DataType physicalRowType;
    private final int[] primaryKeyIndices;

    /** The PRIMARY KEY columns parsed from the key, in key order. */
    private final int[] keyPartIndices;

    private final Set<String> keyColumns;

    /** The Flink format decoding a string's value into the non-key columns, or null. */
    @Nullable private final DecodingFormat<DeserializationSchema<RowData>> valueFormat;

    @Nullable private final String valueFormatName;
    private final ZoneId localTimeZone;

    // pushed-down state
    private int[] projectedFields;
    private List<String> metadataKeys = List.of();
    private long limit = -1;
    private DataType producedDataType;

    /** The keys to read instead of a SCAN (filter pushdown; equal by content), or null. */
    @Nullable private List<ByteBuffer> pointKeys;

    /** The SCAN MATCH pattern narrowed by a LIKE filter on the key, or null. */
    @Nullable private String narrowedPattern;

    /** The indexes or scores read of each list or sorted set (filter pushdown). */
    private RedisMemberRange memberRange = RedisMemberRange.ALL;

    /** The columns of metadata {@code timestamp} (a stream entry's time), for filter pushdown. */
    Set<String> timestampColumns = Set.of();

    /**
     * The type of metadata {@code key}: BYTES or STRING as the table's column {@code METADATA FROM
     * 'key'} is declared ({@link RedisReadableMetadata#keyType}).
     */
    DataType keyMetadataType = RedisReadableMetadata.KEY.dataType;

    /** How a stream table reads its streams; null for another data type. */
    @Nullable RedisStreamOptions streamOptions;

    /** A timeseries table's server-side aggregation ({@code scan.timeseries.*}), or null. */
    @Nullable RedisTimeSeriesAggregation aggregation;

    /** A timeseries table's {@code scan.timeseries.label-filter}, or null. */
    @Nullable List<String> labelFilter;

    /** A timeseries table's label columns ({@code label.columns}): read from the labels. */
    List<String> labelColumns = List.of();

    /** Label equalities pushed down ({@code label=value}), added to the label filter. */
    private List<String> pushedLabels = List.of();

    /** How the table answers lookup joins. */
    RedisLookupOptions lookupOptions = RedisLookupOptions.DEFAULT;

    /** The watermark strategy the planner pushed down, or null. */
    @Nullable private WatermarkStrategy<RowData> watermarkStrategy;

    public RedisDynamicTableSource(
            RedisConnectionConfig connectionConfig,
            RedisScanOptions scanOptions,
            DataType physicalRowType,
            int[] primaryKeyIndices,
            Set<String> keyColumns,
            @Nullable DecodingFormat<DeserializationSchema<RowData>> valueFormat,
            @Nullable String valueFormatName,
            ZoneId localTimeZone) {
        this.keyColumns = Set.copyOf(keyColumns);
        this.valueFormat = valueFormat;
        this.valueFormatName = valueFormatName;
        this.connectionConfig = connectionConfig;
        this.scanOptions = scanOptions;
        this.physicalRowType = physicalRowType;
        this.primaryKeyIndices = primaryKeyIndices;
        this.keyPartIndices =
                scanOptions.keyParts(
                        ((RowType) physicalRowType.getLogicalType()).getFieldNames(),
                        primaryKeyIndices);
        this.localTimeZone = localTimeZone;
        this.projectedFields = IntStream.range(0, fieldCount()).toArray();
        this.producedDataType = physicalRowType;
    }

    private int fieldCount() {
        return ((RowType) physicalRowType.getLogicalType()).getFieldCount();
    }

    @Override
    public ChangelogMode getChangelogMode() {
        // a stream of change events decoded by a changelog format (e.g. debezium-json)
        if (valueFormat != null && streamOptions != null) {
            return valueFormat.getChangelogMode();
        }
        return ChangelogMode.insertOnly();
    }

    /** What a read of the produced columns needs: the deserializer and what to fetch per key. */
    private static final class ReadPlan {
        final RedisRowDataDeserializer deserializer;
        final List<String> fields;
        final boolean fetchTtl;
        final boolean fetchLabels;

        ReadPlan(
                RedisRowDataDeserializer deserializer,
                List<String> fields,
                boolean fetchTtl,
                boolean fetchLabels) {
            this.deserializer = deserializer;
            this.fields = fields;
            this.fetchTtl = fetchTtl;
            this.fetchLabels = fetchLabels;
        }
    }

    @Override
    public ScanRuntimeProvider getScanRuntimeProvider(ScanContext context) {
        ReadPlan plan = readPlan(context);
        if (isTailing()) {
            RedisStreamSourceBuilder<RowData> tailBuilder =
                    RedisStreamSource.<RowData>builder()
                            .setConnectionConfig(connectionConfig)
                            .setKeyPattern(scanOptions.keyPattern())
                            .setFields(plan.fields)
                            .setPositions(streamOptions.positions())
                            .setCount(scanOptions.memberPageSize())
                            .setBlock(Duration.ofMillis(streamOptions.blockMillis()))
                            .setDiscoveryInterval(
                                    Duration.ofMillis(streamOptions.discoveryIntervalMillis()))
                            .setDeserializer(plan.deserializer);
            if (streamOptions.consumer() != null) {
                tailBuilder.setConsumer(streamOptions.consumer());
            }
            tailBuilder.setTrimmedPolicy(streamOptions.trimmedPolicy());
            return provider(tailBuilder.build(), !streamOptions.positions().isBounded());
        }
        return provider(boundedSource(plan), false);
    }

    private ReadPlan readPlan(DynamicTableSource.Context context) {
        RowType physical = (RowType) physicalRowType.getLogicalType();
        List<RedisRowDataDeserializer.Column> columns = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        List<Integer> valueColumns = valueColumns();
        boolean labelsSelected = false;
        for (int index : projectedFields) {
            String name = physical.getFieldNames().get(index);
            int keyPart = indexOf(keyPartIndices, index);
            String memberPart = scanOptions.memberPartOf(name);
            LogicalType type = physical.getTypeAt(index);
            if (labelColumns.contains(name) && keyPart < 0) {
                columns.add(
                        new RedisRowDataDeserializer.Column(
                                name,
                                RedisRowDataDeserializer.Source.LABEL,
                                -1,
                                type,
                                localTimeZone));
                labelsSelected = true;
            } else if (keyPart >= 0 && memberPart == null) {
                columns.add(
                        new RedisRowDataDeserializer.Column(
                                name,
                                RedisRowDataDeserializer.Source.KEY_PART,
                                keyPart,
                                type,
                                localTimeZone));
            } else if (valueFormat != null) {
                columns.add(
                        new RedisRowDataDeserializer.Column(
                                name,
                                RedisRowDataDeserializer.Source.VALUE_FORMAT,
                                valueColumns.indexOf(index),
                                type,
                                localTimeZone));
                if (fields.isEmpty()) {
                    fields.add(
                            streamOptions != null
                                    ? streamOptions.valueField()
                                    : RedisReadSpec.STRING_VALUE);
                }
            } else {
                // a hash field, a string's value, a JSON member, or a part of a member's record
                columns.add(
                        scanOptions.dataType() == RedisDataType.JSON
                                ? RedisRowDataDeserializer.Column.json(
                                        name, fields.size(), type, localTimeZone)
                                : new RedisRowDataDeserializer.Column(
                                        name,
                                        RedisRowDataDeserializer.Source.FIELD,
                                        fields.size(),
                                        type,
                                        localTimeZone));
                fields.add(memberPart != null ? memberPart : name);
            }
        }
        boolean fetchTtl = false;
        boolean fetchLabels = labelsSelected;
        for (String key : metadataKeys) {
            RedisReadableMetadata m = RedisReadableMetadata.of(key);
            fetchTtl |= m == RedisReadableMetadata.TTL;
            fetchLabels |= m == RedisReadableMetadata.LABELS;
            DataType type = m == RedisReadableMetadata.KEY ? keyMetadataType : m.dataType;
            columns.add(
                    new RedisRowDataDeserializer.Column(
                            key, m.source, -1, type.getLogicalType(), localTimeZone));
        }
        TypeInformation<RowData> typeInfo = context.createTypeInformation(producedDataType);
        RedisRowDataDeserializer deserializer =
                new RedisRowDataDeserializer(
                        columns,
                        scanOptions.keyPrefix(),
                        scanOptions.keySeparator(),
                        keyPartIndices.length,
                        scanOptions.parseErrorPolicy(),
                        typeInfo);
        if (valueFormat != null) {
            List<DataTypes.Field> valueFields = new ArrayList<>();
            List<LogicalType> valueTypes = new ArrayList<>();
            for (int index : valueColumns) {
                DataType type = physicalRowType.getChildren().get(index);
                valueFields.add(DataTypes.FIELD(physical.getFieldNames().get(index), type));
                valueTypes.add(type.getLogicalType());
            }
            deserializer.withValueFormat(
                    valueFormat.createRuntimeDecoder(context, DataTypes.ROW(valueFields)),
                    valueFormatName,
                    valueTypes,
                    valueFormat.getChangelogMode().containsOnly(RowKind.INSERT));
        }
        return new ReadPlan(deserializer, fields, fetchTtl, fetchLabels);
    }

    /** The bounded scan of the table with the pushed-down state. */
    private RedisSource<RowData> boundedSource(ReadPlan plan) {
        RedisSourceBuilder<RowData> builder = RedisSource.<RowData>builder();
        if (pointKeys != null) {
            List<byte[]> keys = new ArrayList<>(pointKeys.size());
            for (ByteBuffer key : pointKeys) {
                byte[] bytes = new byte[key.remaining()];
                key.duplicate().get(bytes);
                keys.add(bytes);
            }
            builder.setPointKeys(keys);
        }
        return builder.setConnectionConfig(connectionConfig)
                .setKeyPattern(narrowedPattern != null ? narrowedPattern : scanOptions.keyPattern())
                .setDataType(scanOptions.dataType())
                .setFields(plan.fields)
                .setFetchTtl(plan.fetchTtl)
                .setFetchLabels(plan.fetchLabels)
                .setScanCount(scanOptions.scanCount())
                .setBatchSize(scanOptions.batchSize())
                .setMaxBatchesInFlight(scanOptions.maxBatchesInFlight())
                .setMemberPageSize(scanOptions.memberPageSize())
                .setMemberRange(memberRange)
                .setAggregation(aggregation)
                .setLabelFilter(effectiveLabelFilter())
                .setJsonPath(scanOptions.jsonPath())
                .setLimit(limit)
                .setDeserializer(plan.deserializer)
                .build();
    }

    /** The data types a lookup join can read. */
    private static final Set<RedisDataType> LOOKUP_TYPES =
            Set.of(
                    RedisDataType.HASH,
                    RedisDataType.JSON,
                    RedisDataType.STRING,
                    RedisDataType.ZSET);

    /**
     * The lookup of a lookup join ({@code JOIN ... FOR SYSTEM_TIME AS OF}): the join's equality
     * conditions must cover the key (every PRIMARY KEY column that builds it, or the metadata
     * column {@code key}) and, for a sorted set, the member column; conditions on other columns are
     * checked on the rows read. Sync or async ({@code lookup.async}), with Flink's PARTIAL cache,
     * or a FULL cache that loads the table with this source's bounded scan.
     *
     * @throws ValidationException for a data type other than hash, json, string and zset, or
     *     conditions that do not give the key
     */
    @Override
    public LookupRuntimeProvider getLookupRuntimeProvider(LookupContext context) {
        RedisDataType type = scanOptions.dataType();
        if (!LOOKUP_TYPES.contains(type)) {
            throw new ValidationException(
                    String.format(
                            "A lookup join reads a redis table of '%s' = 'hash', 'json', 'string'"
                                    + " or 'zset', not '%s'.",
                            RedisConnectorOptions.DATA_TYPE.key(), type));
        }
        ReadPlan plan = readPlan(context);
        if (lookupOptions.fullCacheReloadTrigger() != null) {
            return FullCachingLookupProvider.of(
                    InputFormatProvider.of(new RedisScanInputFormat<>(boundedSource(plan))),
                    lookupOptions.fullCacheReloadTrigger());
        }
        RedisLookupReader reader =
                new RedisLookupReader(
                        connectionConfig,
                        type,
                        plan.fields,
                        scanOptions.jsonPath(),
                        plan.fetchTtl,
                        lookupKeys(context.getKeys()),
                        lookupOptions.maxRetries(),
                        plan.deserializer);
        LookupCache cache = lookupOptions.partialCache();
        if (lookupOptions.async()) {
            RedisRowDataAsyncLookupFunction function = new RedisRowDataAsyncLookupFunction(reader);
            return cache == null
                    ? AsyncLookupFunctionProvider.of(function)
                    : PartialCachingAsyncLookupProvider.of(function, cache);
        }
        RedisRowDataLookupFunction function = new RedisRowDataLookupFunction(reader);
        return cache == null
                ? LookupFunctionProvider.of(function)
                : PartialCachingLookupProvider.of(function, cache);
    }

    /** How the lookup keys (positions in the produced row) give the Redis key and member. */
    private RedisLookupKeys lookupKeys(int[][] lookupKeys) {
        RowType produced = (RowType) producedDataType.getLogicalType();
        RowType physical = (RowType) physicalRowType.getLogicalType();
        String memberColumn =
                scanOptions.dataType() == RedisDataType.ZSET
                        ? scanOptions.memberColumns().get(RedisReadSpec.MEMBER)
                        : null;
        int[] parts = new int[keyPartIndices.length];
        Arrays.fill(parts, -1);
        int keyColumn = -1;
        int member = -1;
        List<Integer> others = new ArrayList<>();
        for (int j = 0; j < lookupKeys.length; j++) {
            int p = lookupKeys[j][0];
            if (p < projectedFields.length) {
                int physicalIndex = projectedFields[p];
                int part = indexOf(keyPartIndices, physicalIndex);
                String name = physical.getFieldNames().get(physicalIndex);
                if (part >= 0 && parts[part] < 0) {
                    parts[part] = j;
                    continue;
                }
                if (name.equals(memberColumn) && member < 0) {
                    member = j;
                    continue;
                }
            } else if (RedisReadableMetadata.KEY.key.equals(
                            metadataKeys.get(p - projectedFields.length))
                    && keyColumn < 0) {
                keyColumn = j;
                continue;
            }
            others.add(j);
        }
        boolean partsGiveKey =
                Arrays.stream(parts).allMatch(j -> j >= 0)
                        && (keyPartIndices.length > 0 || scanOptions.literalKey() != null);
        if (!partsGiveKey && keyColumn < 0) {
            List<String> needed = new ArrayList<>();
            for (int index : keyPartIndices) {
                needed.add(physical.getFieldNames().get(index));
            }
            List<String> given = new ArrayList<>();
            for (int[] k : lookupKeys) {
                given.add(produced.getFieldNames().get(k[0]));
            }
            throw new ValidationException(
                    String.format(
                            "A lookup join on a redis table needs equality conditions on the"
                                    + " columns that build the key: PRIMARY KEY column(s) %s"
                                    + " ('%s' + the values joined by '%s'), or a column METADATA"
                                    + " FROM 'key'; this join has conditions on %s.",
                            needed, scanOptions.keyPrefix(), scanOptions.keySeparator(), given));
        }
        if (memberColumn != null && member < 0) {
            throw new ValidationException(
                    String.format(
                            "A lookup join on a redis table of '%s' = 'zset' reads one member's"
                                    + " score: it needs an equality condition on the member"
                                    + " column '%s' besides the key.",
                            RedisConnectorOptions.DATA_TYPE.key(), memberColumn));
        }
        if (partsGiveKey && keyColumn >= 0) {
            others.add(keyColumn); // the key comes from the parts; the key column is checked
            keyColumn = -1;
        } else if (!partsGiveKey) {
            for (int j : parts) {
                if (j >= 0) {
                    others.add(j); // the key comes from the key column; the parts are checked
                }
            }
            parts = new int[0];
        }
        LogicalType[] partTypes = new LogicalType[parts.length];
        String[] partNames = new String[parts.length];
        for (int i = 0; i < parts.length; i++) {
            partTypes[i] = produced.getTypeAt(lookupKeys[parts[i]][0]);
            partNames[i] = produced.getFieldNames().get(lookupKeys[parts[i]][0]);
        }
        int[] checkedKeys = others.stream().mapToInt(Integer::intValue).toArray();
        int[] checkedFields = new int[checkedKeys.length];
        LogicalType[] checkedTypes = new LogicalType[checkedKeys.length];
        for (int i = 0; i < checkedKeys.length; i++) {
            checkedFields[i] = lookupKeys[checkedKeys[i]][0];
            checkedTypes[i] = produced.getTypeAt(checkedFields[i]);
        }
        return new RedisLookupKeys(
                new RedisKeyBuilder(
                        scanOptions.keyPrefix(),
                        scanOptions.keySeparator(),
                        scanOptions.literalKey(),
                        keyColumn,
                        keyColumn < 0
                                ? null
                                : produced.getFieldNames().get(lookupKeys[keyColumn][0]),
                        keyColumn < 0 ? null : produced.getTypeAt(lookupKeys[keyColumn][0]),
                        parts,
                        partTypes,
                        partNames),
                member,
                member < 0 ? null : produced.getTypeAt(lookupKeys[member][0]),
                checkedKeys,
                checkedFields,
                checkedTypes);
    }

    /**
     * Whether the table tails its streams with XREAD ({@link RedisStreamSource}) rather than
     * scanning keys: a stream table, unless it reads from the first entry to the last.
     */
    private boolean isTailing() {
        return streamOptions != null && !streamOptions.isBoundedScan();
    }

    /** The source with the pushed-down watermark strategy, if any, and the source parallelism. */
    private ScanRuntimeProvider provider(Source<RowData, ?, ?> source, boolean unbounded) {
        if (watermarkStrategy == null) {
            return SourceProvider.of(source, scanOptions.parallelism());
        }
        WatermarkStrategy<RowData> watermarks = watermarkStrategy;
        Integer parallelism = scanOptions.parallelism();
        return new DataStreamScanProvider() {
            @Override
            public DataStream<RowData> produceDataStream(
                    ProviderContext providerContext, StreamExecutionEnvironment execEnv) {
                DataStreamSource<RowData> stream = execEnv.fromSource(source, watermarks, "Redis");
                providerContext.generateUid("redis-source").ifPresent(stream::uid);
                if (parallelism != null) {
                    stream.setParallelism(parallelism);
                }
                return stream;
            }

            @Override
            public boolean isBounded() {
                return !unbounded;
            }
        };
    }

    @Override
    public void applyWatermark(WatermarkStrategy<RowData> watermarkStrategy) {
        this.watermarkStrategy = watermarkStrategy;
    }

    /** The physical columns the value format decodes: every one outside the PRIMARY KEY. */
    private List<Integer> valueColumns() {
        List<Integer> values = new ArrayList<>();
        for (int i = 0; i < fieldCount(); i++) {
            if (indexOf(primaryKeyIndices, i) < 0) {
                values.add(i);
            }
        }
        return values;
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
            // XREAD does not fetch the stream's TTL
            if (m.appliesTo(scanOptions.dataType())
                    && !(isTailing() && m == RedisReadableMetadata.TTL)) {
                metadata.put(m.key, m == RedisReadableMetadata.KEY ? keyMetadataType : m.dataType);
            }
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
                        keyColumns,
                        valueFormat,
                        valueFormatName,
                        localTimeZone);
        copy.timestampColumns = timestampColumns;
        copy.keyMetadataType = keyMetadataType;
        copy.streamOptions = streamOptions;
        copy.aggregation = aggregation;
        copy.labelFilter = labelFilter;
        copy.labelColumns = labelColumns;
        copy.pushedLabels = pushedLabels;
        copy.watermarkStrategy = watermarkStrategy;
        copy.lookupOptions = lookupOptions;
        copy.pointKeys = pointKeys;
        copy.narrowedPattern = narrowedPattern;
        copy.memberRange = memberRange;
        copy.projectedFields = projectedFields.clone();
        copy.metadataKeys = metadataKeys;
        copy.limit = limit;
        copy.producedDataType = producedDataType;
        return copy;
    }

    /**
     * Turns filters on the key into point reads (see {@link RedisKeyFilters}); every filter also
     * stays with Flink. Not with a custom {@code key.pattern}, whose keys a filter's keys might not
     * match, nor with {@code 'scan.filter-push-down.enabled' = 'false'}.
     */
    @Override
    public Result applyFilters(List<ResolvedExpression> filters) {
        if (!scanOptions.filterPushDown() || isTailing()) {
            return Result.of(List.of(), filters);
        }
        List<ResolvedExpression> remaining = new ArrayList<>(filters);
        List<ResolvedExpression> accepted = new ArrayList<>();
        Optional<RedisMemberFilters.Translation> range = Optional.empty();
        if (scanOptions.dataType() == RedisDataType.LIST) {
            range =
                    RedisMemberFilters.indexRange(
                            filters, scanOptions.memberColumns().get(RedisReadSpec.INDEX));
        } else if (scanOptions.dataType() == RedisDataType.ZSET) {
            range =
                    RedisMemberFilters.scoreRange(
                            filters, scanOptions.memberColumns().get(RedisReadSpec.SCORE));
        } else if (scanOptions.dataType() == RedisDataType.STREAM && timestampColumns.size() == 1) {
            range = RedisMemberFilters.entryTimeRange(filters, timestampColumns.iterator().next());
        } else if (scanOptions.dataType() == RedisDataType.TIMESERIES) {
            String timeColumn = scanOptions.memberColumns().get(RedisReadSpec.TIMESTAMP);
            LogicalType timeType = physicalType(timeColumn);
            boolean millis = timeType != null && timeType.getTypeRoot() == LogicalTypeRoot.BIGINT;
            range =
                    RedisMemberFilters.sampleRange(
                            filters,
                            timeColumn,
                            millis,
                            scanOptions.memberColumns().get(RedisReadSpec.VALUE),
                            aggregation);
            RedisMemberFilters.LabelEqualities labels =
                    RedisMemberFilters.labelEqualities(filters, stringColumns(labelColumns));
            if (!labels.accepted.isEmpty()) {
                List<String> pushed = new ArrayList<>(pushedLabels);
                pushed.addAll(labels.expressions);
                pushedLabels = List.copyOf(pushed);
                accepted.addAll(labels.accepted);
                remaining.removeAll(labels.accepted);
            }
        }
        if (range.isPresent()) {
            memberRange = range.get().range;
            accepted.addAll(range.get().accepted);
            remaining.removeAll(range.get().accepted);
        }
        if (!scanOptions.isPrefixPattern()) {
            return Result.of(accepted, remaining);
        }
        RowType physical = (RowType) physicalRowType.getLogicalType();
        List<String> pkNames = new ArrayList<>();
        List<LogicalType> pkTypes = new ArrayList<>();
        for (int index : keyPartIndices) {
            pkNames.add(physical.getFieldNames().get(index));
            pkTypes.add(physical.getTypeAt(index));
        }
        Optional<RedisKeyFilters.Translation> t =
                RedisKeyFilters.translate(
                        filters,
                        keyColumns,
                        pkNames,
                        pkTypes,
                        scanOptions.keyPrefix(),
                        scanOptions.keySeparator());
        if (t.isEmpty()) {
            return Result.of(accepted, remaining);
        }
        RedisKeyFilters.Translation translation = t.get();
        if (translation.keys != null) {
            pointKeys =
                    pointKeys == null ? translation.keys : intersect(pointKeys, translation.keys);
        }
        if (translation.keyPrefix != null) {
            narrowedPattern = RedisScanOptions.patternForPrefix(translation.keyPrefix);
        }
        accepted.addAll(translation.accepted);
        return Result.of(accepted, remaining);
    }

    /** The type of physical column {@code name}, or null if there is none. */
    @Nullable
    private LogicalType physicalType(String name) {
        RowType physical = (RowType) physicalRowType.getLogicalType();
        int i = physical.getFieldNames().indexOf(name);
        return i < 0 ? null : physical.getTypeAt(i);
    }

    /** The columns among {@code names} of a character string type. */
    private Set<String> stringColumns(List<String> names) {
        Set<String> out = new HashSet<>();
        for (String name : names) {
            LogicalType type = physicalType(name);
            if (type != null
                    && type.getTypeRoot()
                            .getFamilies()
                            .contains(LogicalTypeFamily.CHARACTER_STRING)) {
                out.add(name);
            }
        }
        return out;
    }

    /**
     * The TS.QUERYINDEX filter of a timeseries read: the table's label filter and the label
     * equalities pushed down; null where there are none (SCAN finds the series).
     */
    @Nullable
    private List<String> effectiveLabelFilter() {
        if (labelFilter == null && pushedLabels.isEmpty()) {
            return null;
        }
        List<String> all = new ArrayList<>(labelFilter == null ? List.of() : labelFilter);
        all.addAll(pushedLabels);
        return all;
    }

    private static <T> List<T> intersect(List<T> a, List<T> b) {
        List<T> out = new ArrayList<>(a);
        out.retainAll(new HashSet<>(b));
        return out;
    }

    @Override
    public String asSummaryString() {
        return "Redis("
                + scanOptions.dataType()
                + (pointKeys == null ? "" : ", " + pointKeys.size() + " point key(s)")
                + (narrowedPattern == null ? "" : ", MATCH " + narrowedPattern)
                + (memberRange.equals(RedisMemberRange.ALL) ? "" : ", " + memberRange)
                + (isTailing() ? ", XREAD " + streamOptions.positions() : "")
                + ")";
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
                && Objects.equals(pointKeys, that.pointKeys)
                && Objects.equals(valueFormat, that.valueFormat)
                && Objects.equals(narrowedPattern, that.narrowedPattern)
                && memberRange.equals(that.memberRange)
                && Objects.equals(streamOptions, that.streamOptions)
                && Objects.equals(aggregation, that.aggregation)
                && Objects.equals(labelFilter, that.labelFilter)
                && labelColumns.equals(that.labelColumns)
                && pushedLabels.equals(that.pushedLabels)
                && Objects.equals(watermarkStrategy, that.watermarkStrategy)
                && lookupOptions.equals(that.lookupOptions)
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
                limit,
                pointKeys,
                narrowedPattern,
                memberRange);
    }
}
