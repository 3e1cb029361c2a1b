package io.github.flinkredis.connector.table;

import io.github.flinkredis.connector.config.RedisConnectionConfig;
import io.github.flinkredis.connector.config.RedisConnectorOptions;
import io.github.flinkredis.connector.config.RedisDataType;
import io.github.flinkredis.connector.config.RedisScanOptions;
import io.github.flinkredis.connector.config.RedisTableLayout;
import io.github.flinkredis.connector.lookup.RedisLookupOptions;
import io.github.flinkredis.connector.lookup.RedisLookupReader;
import io.github.flinkredis.connector.lookup.RedisRowDataAsyncLookupFunction;
import io.github.flinkredis.connector.lookup.RedisRowDataLookupFunction;
import io.github.flinkredis.connector.model.RedisMemberRange;
import io.github.flinkredis.connector.search.RedisSearchFilters;
import io.github.flinkredis.connector.search.RedisSearchKeyQuery;
import io.github.flinkredis.connector.search.RedisSearchPlanner;
import io.github.flinkredis.connector.source.RedisScanInputFormat;
import io.github.flinkredis.connector.source.RedisSource;
import io.github.flinkredis.connector.source.RedisSourceBuilder;
import io.github.flinkredis.connector.source.stream.RedisStreamSource;
import io.github.flinkredis.connector.source.stream.RedisStreamSourceBuilder;
import io.github.flinkredis.connector.types.RedisTypes;
import io.github.flinkredis.connector.types.spi.RedisMetadataColumn;
import io.github.flinkredis.connector.types.spi.RedisPushdownContext;
import io.github.flinkredis.connector.types.spi.RedisPushedFilters;
import io.github.flinkredis.connector.types.spi.RedisReadSettings;
import io.github.flinkredis.connector.types.spi.RedisTypeHandler;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.IntStream;
import javax.annotation.Nullable;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.connector.ProviderContext;
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
import org.apache.flink.table.types.logical.RowType;

/**
 * The source of a redis table, of any of the eight data types (hash, json, string, set, list, zset,
 * stream, timeseries): a bounded scan of the keys ({@link RedisSource}: SCAN, or point reads, and
 * each key's value or members), the tail of a stream table that does not read from the first entry
 * to the last ({@link RedisStreamSource}: XREAD or XREADGROUP, unbounded or up to a stop position),
 * and the lookups of a lookup join (point reads, or a FULL cache loaded by the bounded scan).
 *
 * <p>Pushdown: projection (only the selected hash fields are fetched, with HMGET; a string's value
 * only when its column is selected, with MGET; a query that needs only keys fetches nothing per
 * key), limit (each reader stops after N rows), watermarks, the readable metadata {@code key} and
 * {@code ttl} (PTTL only when selected) and those the data type offers ({@link
 * RedisTypeHandler#readableMetadata}), and filters: on the key (point reads or a narrower SCAN
 * MATCH, see {@link RedisKeyFilters}; Flink evaluates these again) and those the data type reads
 * exactly ({@link RedisTypeHandler#pushFilters}: a list's index, a sorted set's score, a stream
 * entry's time, a timeseries' time, value and labels; Flink does not evaluate these again). A
 * stream tail takes no filters.
 *
 * <p>For sets, lists, sorted sets and timeseries, the PRIMARY KEY columns parsed from the key are
 * those that are not a part of the record (member, index, timestamp).
 *
 * <p>A value object: what the factory found is passed through the constructor; {@link #copy()},
 * equals and hashCode include it and the pushed-down state.
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

    final RedisConnectionConfig connectionConfig;

    /** What the table's keys and columns mean. */
    final RedisTableLayout layout;

    /** How the bounded scan runs. */
    final RedisScanOptions scanOptions;

    final RedisSourceSchema schema;

    /** How the table's data type reads (a stream's positions, a timeseries' aggregation). */
    final RedisReadSettings readSettings;

    /** How the table answers lookup joins. */
    final RedisLookupOptions lookupOptions;

    private final RedisTypeHandler handler;

    /** The PRIMARY KEY columns parsed from the key, in key order. */
    final int[] keyPartIndices;

    // pushed-down state
    int[] projectedFields;
    List<String> metadataKeys = List.of();
    long limit = -1;
    DataType producedDataType;

    /** The keys to read instead of a SCAN (filter pushdown; equal by content), or null. */
    @Nullable List<ByteBuffer> pointKeys;

    /** The SCAN MATCH pattern narrowed by a LIKE filter on the key, or null. */
    @Nullable String narrowedPattern;

    /** The members read of each key (filter pushdown). */
    private RedisMemberRange memberRange = RedisMemberRange.ALL;

    /** Label equalities pushed down ({@code label=value}), added to the label filter. */
    private List<String> pushedLabels = List.of();

    /** The RediSearch query that lists the keys instead of SCAN (filter pushdown), or null. */
    @Nullable RedisSearchKeyQuery search;

    /** The watermark strategy the planner pushed down, or null. */
    @Nullable private WatermarkStrategy<RowData> watermarkStrategy;

    /**
     * @param readSettings the data type's read settings ({@link RedisTypeHandler#readSettings})
     */
    RedisDynamicTableSource(
            RedisConnectionConfig connectionConfig,
            RedisTableLayout layout,
            RedisScanOptions scanOptions,
            RedisSourceSchema schema,
            RedisReadSettings readSettings,
            RedisLookupOptions lookupOptions) {
        this.connectionConfig = connectionConfig;
        this.layout = layout;
        this.scanOptions = scanOptions;
        this.schema = schema;
        this.readSettings = readSettings;
        this.lookupOptions = lookupOptions;
        this.handler = RedisTypes.of(layout.dataType());
        this.keyPartIndices = layout.keyParts(schema.fieldNames(), schema.primaryKeyIndices());
        this.projectedFields = IntStream.range(0, schema.fieldCount()).toArray();
        this.producedDataType = schema.physicalRowType;
    }

    @Override
    public ChangelogMode getChangelogMode() {
        if (schema.valueFormat != null && handler.keepsFormatChangelog()) {
            return schema.valueFormat.getChangelogMode();
        }
        return ChangelogMode.insertOnly();
    }

    @Override
    public ScanRuntimeProvider getScanRuntimeProvider(ScanContext context) {
        RedisReadPlan plan = readPlan(context);
        if (readSettings.isTail()) {
            // the tail's settings are the type's (a stream's: RedisStreamType#readSettings)
            RedisReadSettings tail = readSettings;
            RedisStreamSourceBuilder<RowData> tailBuilder =
                    RedisStreamSource.<RowData>builder()
                            .setConnectionConfig(connectionConfig)
                            .setKeyPattern(layout.keyPattern())
                            .setFields(plan.fields)
                            .setPositions(tail.positions())
                            .setCount(scanOptions.memberPageSize())
                            .setBlock(Duration.ofMillis(tail.blockMillis()))
                            .setDiscoveryInterval(Duration.ofMillis(tail.discoveryIntervalMillis()))
                            .setDeserializer(plan.deserializer);
            if (tail.consumer() != null) {
                tailBuilder.setConsumer(tail.consumer());
            }
            tailBuilder.setTrimmedPolicy(tail.trimmedPolicy());
            return provider(tailBuilder.build(), !tail.positions().isBounded());
        }
        return provider(boundedSource(plan), false);
    }

    private RedisReadPlan readPlan(DynamicTableSource.Context context) {
        return RedisReadPlan.of(
                schema,
                layout,
                scanOptions.parseErrorPolicy(),
                readSettings,
                keyPartIndices,
                projectedFields,
                metadataKeys,
                producedDataType,
                context);
    }

    /** The bounded scan of the table with the pushed-down state. */
    private RedisSource<RowData> boundedSource(RedisReadPlan plan) {
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
        if (search != null) {
            builder.setSearch(search);
        }
        return builder.setConnectionConfig(connectionConfig)
                .setKeyPattern(narrowedPattern != null ? narrowedPattern : layout.keyPattern())
                .setDataType(layout.dataType())
                .setFields(plan.fields)
                .setFetchTtl(plan.fetchTtl)
                .setFetchLabels(plan.fetchLabels)
                .setScanCount(scanOptions.scanCount())
                .setBatchSize(scanOptions.batchSize())
                .setMaxBatchesInFlight(scanOptions.maxBatchesInFlight())
                .setMemberPageSize(scanOptions.memberPageSize())
                .setMemberRange(memberRange)
                .setAggregation(readSettings.aggregation())
                .setLabelFilter(effectiveLabelFilter())
                .setJsonPath(layout.jsonPath())
                .setLimit(limit)
                .setDeserializer(plan.deserializer)
                .build();
    }

    /**
     * The lookup of a lookup join ({@code JOIN ... FOR SYSTEM_TIME AS OF}): the join's equality
     * conditions must cover the key (every PRIMARY KEY column that builds it, or the metadata
     * column {@code key}) and, for a sorted set, the member column ({@link
     * RedisTypeHandler#lookupPart}); conditions on other columns are checked on the rows read. Sync
     * or async ({@code lookup.async}), with Flink's PARTIAL cache, or a FULL cache that loads the
     * table with this source's bounded scan.
     *
     * @throws ValidationException for a data type that serves no lookups (set, list, stream,
     *     timeseries; {@link RedisTypeHandler#servesLookups}), or conditions that do not give the
     *     key
     */
    @Override
    public LookupRuntimeProvider getLookupRuntimeProvider(LookupContext context) {
        if (!handler.servesLookups()) {
            throw new ValidationException(
                    String.format(
                            "A lookup join reads a redis table of '%s' = 'hash', 'json', 'string'"
                                    + " or 'zset', not '%s'.",
                            RedisConnectorOptions.DATA_TYPE.key(), layout.dataType()));
        }
        RedisReadPlan plan = readPlan(context);
        if (lookupOptions.fullCacheReloadTrigger() != null) {
            return FullCachingLookupProvider.of(
                    InputFormatProvider.of(new RedisScanInputFormat<>(boundedSource(plan))),
                    lookupOptions.fullCacheReloadTrigger());
        }
        String lookupPart = handler.lookupPart();
        RedisLookupReader reader =
                new RedisLookupReader(
                        connectionConfig,
                        layout.dataType(),
                        plan.fields,
                        layout.jsonPath(),
                        plan.fetchTtl,
                        RedisLookupJoinKeys.of(
                                context.getKeys(),
                                (RowType) producedDataType.getLogicalType(),
                                schema.physical(),
                                projectedFields,
                                metadataKeys,
                                keyPartIndices,
                                layout,
                                lookupPart == null ? null : layout.memberColumns().get(lookupPart)),
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
        for (RedisMetadataColumn m : RedisReadableMetadata.of(handler)) {
            // XREAD does not fetch the stream's TTL
            if (!(readSettings.isTail() && m.equals(RedisReadableMetadata.TTL))) {
                metadata.put(m.key(), RedisReadableMetadata.typeOf(m, schema.keyMetadataType));
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
        RedisDynamicTableSource copy = newInstance();
        copy.pushedLabels = pushedLabels;
        copy.watermarkStrategy = watermarkStrategy;
        copy.pointKeys = pointKeys;
        copy.narrowedPattern = narrowedPattern;
        copy.search = search;
        copy.memberRange = memberRange;
        copy.projectedFields = projectedFields.clone();
        copy.metadataKeys = metadataKeys;
        copy.limit = limit;
        copy.producedDataType = producedDataType;
        return copy;
    }

    /** A source of the same table without pushed-down state, for {@link #copy()}. */
    RedisDynamicTableSource newInstance() {
        return new RedisDynamicTableSource(
                connectionConfig, layout, scanOptions, schema, readSettings, lookupOptions);
    }

    /**
     * Turns filters into narrower reads: those the data type reads exactly ({@link
     * RedisTypeHandler#pushFilters}) and filters on the key into point reads (see {@link
     * RedisKeyFilters}; these also stay with Flink). Key filters not with a custom {@code
     * key.pattern}, whose keys a filter's keys might not match; none with {@code
     * 'scan.filter-push-down.enabled' = 'false'} or for a stream tail.
     */
    @Override
    public Result applyFilters(List<ResolvedExpression> filters) {
        if (!scanOptions.filterPushDown() || readSettings.isTail()) {
            return Result.of(List.of(), filters);
        }
        List<ResolvedExpression> remaining = new ArrayList<>(filters);
        RedisPushedFilters pushed =
                handler.pushFilters(
                        filters,
                        new RedisPushdownContext(
                                layout, schema.physical(), schema.metadataColumns, readSettings));
        if (!pushed.labels().isEmpty()) {
            List<String> labels = new ArrayList<>(pushedLabels);
            labels.addAll(pushed.labels());
            pushedLabels = List.copyOf(labels);
        }
        if (pushed.range() != null) {
            memberRange = pushed.range();
        }
        List<ResolvedExpression> accepted = new ArrayList<>(pushed.accepted());
        remaining.removeAll(pushed.accepted());
        if (!layout.isPrefixPattern()) {
            return Result.of(accepted, remaining);
        }
        List<String> pkNames = new ArrayList<>();
        List<LogicalType> pkTypes = new ArrayList<>();
        for (int index : keyPartIndices) {
            pkNames.add(schema.fieldNames().get(index));
            pkTypes.add(schema.physical().getTypeAt(index));
        }
        Optional<RedisKeyFilters.Translation> t =
                RedisKeyFilters.translate(filters, schema.keyColumns(), pkNames, pkTypes, layout);
        if (t.isEmpty()) {
            pushIntoSearch(remaining, accepted);
            return Result.of(accepted, remaining);
        }
        RedisKeyFilters.Translation translation = t.get();
        if (translation.keys != null) {
            pointKeys =
                    pointKeys == null ? translation.keys : intersect(pointKeys, translation.keys);
        }
        if (translation.keyPrefix != null) {
            narrowedPattern = RedisTableLayout.patternForPrefix(translation.keyPrefix);
        }
        accepted.addAll(translation.accepted);
        pushIntoSearch(remaining, accepted);
        return Result.of(accepted, remaining);
    }

    /**
     * Filters on hash fields or JSON members as a RediSearch query that lists the keys instead of
     * SCAN ({@link RedisSearchPlanner}, option {@code search.index}): for a table of hashes or JSON
     * documents with a key prefix and no value format, whose filters give no point reads. The
     * translated filters are accepted and stay with Flink too, which evaluates them on the values
     * read (a key may change between the query and its read).
     */
    private void pushIntoSearch(
            List<ResolvedExpression> filters, List<ResolvedExpression> accepted) {
        if (pointKeys != null || !layout.isPrefixPattern() || schema.valueFormat != null) {
            return;
        }
        Map<String, RedisSearchFilters.FilterColumn> columns = new LinkedHashMap<>();
        for (int i = 0; i < schema.fieldCount(); i++) {
            if (RedisReadPlan.indexOf(keyPartIndices, i) >= 0) {
                continue; // parsed from the key, not a field
            }
            String name = schema.fieldNames().get(i);
            String identifier = handler.searchIdentifier(name, layout.jsonPath());
            if (identifier == null) {
                return; // a data type an index cannot select
            }
            columns.put(
                    name,
                    new RedisSearchFilters.FilterColumn(
                            identifier, schema.physical().getTypeAt(i)));
        }
        Optional<RedisSearchPlanner.Plan> plan =
                RedisSearchPlanner.plan(
                        connectionConfig,
                        scanOptions.searchIndex(),
                        layout.dataType() == RedisDataType.JSON,
                        layout.keyPrefix(),
                        filters,
                        columns,
                        RedisSearchKeyQuery.DEFAULT_SEGMENT_SIZE);
        if (plan.isPresent()) {
            search = plan.get().query();
            for (ResolvedExpression e : plan.get().translated()) {
                if (!accepted.contains(e)) {
                    accepted.add(e);
                }
            }
        }
    }

    /**
     * The TS.QUERYINDEX filter of a timeseries read: the table's label filter and the label
     * equalities pushed down; null where there are none (SCAN finds the series).
     */
    @Nullable
    private List<String> effectiveLabelFilter() {
        List<String> labelFilter = readSettings.labelFilter();
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
        return "Redis(" + summaryDetails() + ")";
    }

    /** What {@link #asSummaryString} shows between its parentheses: the reads pushed down. */
    String summaryDetails() {
        return layout.dataType()
                + (pointKeys == null ? "" : ", " + pointKeys.size() + " point key(s)")
                + (narrowedPattern == null ? "" : ", MATCH " + narrowedPattern)
                + (search == null ? "" : ", " + search)
                + (memberRange.equals(RedisMemberRange.ALL) ? "" : ", " + memberRange)
                + (readSettings.isTail() ? ", XREAD " + readSettings.positions() : "");
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof RedisDynamicTableSource)) {
            return false;
        }
        RedisDynamicTableSource that = (RedisDynamicTableSource) o;
        return connectionConfig.equals(that.connectionConfig)
                && layout.equals(that.layout)
                && scanOptions.equals(that.scanOptions)
                && schema.equals(that.schema)
                && readSettings.equals(that.readSettings)
                && lookupOptions.equals(that.lookupOptions)
                && Arrays.equals(projectedFields, that.projectedFields)
                && metadataKeys.equals(that.metadataKeys)
                && limit == that.limit
                && Objects.equals(pointKeys, that.pointKeys)
                && Objects.equals(narrowedPattern, that.narrowedPattern)
                && Objects.equals(search, that.search)
                && memberRange.equals(that.memberRange)
                && pushedLabels.equals(that.pushedLabels)
                && Objects.equals(watermarkStrategy, that.watermarkStrategy)
                && producedDataType.equals(that.producedDataType);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                connectionConfig,
                layout,
                scanOptions,
                schema,
                readSettings,
                Arrays.hashCode(projectedFields),
                metadataKeys,
                limit,
                pointKeys,
                narrowedPattern,
                search,
                memberRange);
    }
}
