package io.github.flinkredis.connector.source;

import io.github.flinkredis.connector.config.RedisConnectionConfig;
import io.github.flinkredis.connector.config.RedisDataType;
import io.github.flinkredis.connector.model.RedisMemberRange;
import io.github.flinkredis.connector.model.RedisReadSpec;
import io.github.flinkredis.connector.model.RedisRecord;
import io.github.flinkredis.connector.model.RedisRecordDeserializer;
import io.github.flinkredis.connector.model.RedisTimeSeriesAggregation;
import io.github.flinkredis.connector.search.RedisSearchKeyQuery;
import io.github.flinkredis.connector.types.RedisTypes;
import io.github.flinkredis.connector.types.spi.RedisTypeHandler;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import javax.annotation.Nullable;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.util.Preconditions;

/** Builder of {@link RedisSource}; connection, key pattern and deserializer are required. */
@PublicEvolving
public final class RedisSourceBuilder<T> {

    /**
     * The field name a string's value has in a {@link RedisRecord} when {@link #setFields} was not
     * called.
     */
    public static final String STRING_VALUE = RedisReadSpec.STRING_VALUE;

    private RedisConnectionConfig connectionConfig;
    private String keyPattern;
    private RedisDataType dataType = RedisDataType.HASH;
    private List<String> fields;
    private boolean fetchTtl;
    private boolean fetchLabels;
    @Nullable private List<String> labelFilter;
    private int scanCount = 1000;
    private int batchSize = 500;
    private int maxBatchesInFlight = 2;
    private long limit = -1;
    private List<byte[]> pointKeys;
    private RedisSearchKeyQuery search;
    private int memberPageSize = 1000;
    private RedisMemberRange memberRange = RedisMemberRange.ALL;
    @Nullable private RedisTimeSeriesAggregation aggregation;
    private String jsonPath = "$";
    private RedisRecordDeserializer<T> deserializer;

    RedisSourceBuilder() {}

    public RedisSourceBuilder<T> setConnectionConfig(RedisConnectionConfig connectionConfig) {
        this.connectionConfig = Objects.requireNonNull(connectionConfig);
        return this;
    }

    /** Glob pattern of the keys to read (SCAN MATCH), e.g. {@code user:*}. */
    public RedisSourceBuilder<T> setKeyPattern(String keyPattern) {
        this.keyPattern = Objects.requireNonNull(keyPattern);
        return this;
    }

    /**
     * The data type of the keys to read: {@link RedisDataType#HASH} (default), {@link
     * RedisDataType#STRING}, or one of the collections {@link RedisDataType#SET}, {@link
     * RedisDataType#LIST} and {@link RedisDataType#ZSET}, which yield one record per member or
     * element (see {@link #setFields}). SCAN's TYPE filter keeps keys of other types out.
     */
    public RedisSourceBuilder<T> setDataType(RedisDataType dataType) {
        this.dataType = Objects.requireNonNull(dataType);
        return this;
    }

    /**
     * Members or elements per SSCAN (COUNT hint), LRANGE or ZRANGE page of a set, list or sorted
     * set (default 1000); a key's first page holds at most 128.
     */
    public RedisSourceBuilder<T> setMemberPageSize(int memberPageSize) {
        Preconditions.checkArgument(
                memberPageSize > 0, "member page size must be positive: %s", memberPageSize);
        this.memberPageSize = memberPageSize;
        return this;
    }

    /**
     * For {@link RedisDataType#JSON}: the JSONPath of the object whose members {@link #setFields}
     * names, read with {@code JSON.GET key $.a $.b} (default {@code $}, the document); without
     * {@link #setFields}, each record holds that whole value as JSON text.
     */
    public RedisSourceBuilder<T> setJsonPath(String jsonPath) {
        Preconditions.checkArgument(
                jsonPath.startsWith("$"), "a JSONPath starts with '$': %s", jsonPath);
        this.jsonPath = jsonPath;
        return this;
    }

    /**
     * The list indexes or sorted-set scores to read of each key (default: all), as the bounds of
     * LRANGE or ZRANGE ... BYSCORE.
     */
    public RedisSourceBuilder<T> setMemberRange(RedisMemberRange memberRange) {
        this.memberRange = Objects.requireNonNull(memberRange);
        return this;
    }

    /**
     * Timeseries: downsample each series on the server ({@code TS.RANGE ... AGGREGATION ...}), so
     * that each record is a bucket; null (the default) reads every sample.
     */
    public RedisSourceBuilder<T> setAggregation(@Nullable RedisTimeSeriesAggregation aggregation) {
        this.aggregation = aggregation;
        return this;
    }

    /**
     * The hash fields to read ({@code HMGET}); without this call every field is read ({@code
     * HGETALL}); with no names, only keys are read. For strings: one name, which the value gets in
     * each {@link RedisRecord} ({@value #STRING_VALUE} without this call), or none for keys only.
     * For sets, lists and sorted sets: which of {@link RedisReadSpec#MEMBER}, {@link
     * RedisReadSpec#SCORE}, {@link RedisReadSpec#RANK}, {@link RedisReadSpec#ELEMENT} and {@link
     * RedisReadSpec#INDEX} each record holds, in this order (without this call, all those of the
     * type); every member or element is a record either way. For timeseries: {@link
     * RedisReadSpec#TIMESTAMP} (milliseconds) and {@link RedisReadSpec#VALUE}, per sample.
     */
    public RedisSourceBuilder<T> setFields(String... fields) {
        return setFields(Arrays.asList(fields));
    }

    /** See {@link #setFields(String...)}; {@code null} reads every field. */
    public RedisSourceBuilder<T> setFields(List<String> fields) {
        this.fields = fields;
        return this;
    }

    /** Whether to read each key's remaining TTL ({@code PTTL}); off by default. */
    public RedisSourceBuilder<T> setFetchTtl(boolean fetchTtl) {
        this.fetchTtl = fetchTtl;
        return this;
    }

    /**
     * Timeseries: whether to read each series' labels ({@code TS.INFO} with each page) into {@link
     * RedisRecord#labels()}; off by default.
     */
    public RedisSourceBuilder<T> setFetchLabels(boolean fetchLabels) {
        this.fetchLabels = fetchLabels;
        return this;
    }

    /**
     * Timeseries: read the series {@code TS.QUERYINDEX <filter>...} finds on each node (among those
     * matching the key pattern) instead of those SCAN finds; null (the default) scans.
     *
     * @param filter TS.QUERYINDEX filter expressions, e.g. {@code area=eu}; at least one of the
     *     form {@code label=value}
     */
    public RedisSourceBuilder<T> setLabelFilter(@Nullable List<String> filter) {
        this.labelFilter = filter == null ? null : List.copyOf(filter);
        return this;
    }

    /** SCAN's COUNT hint: keys examined per SCAN call (default 1000). */
    public RedisSourceBuilder<T> setScanCount(int scanCount) {
        Preconditions.checkArgument(scanCount > 0, "scan count must be positive: %s", scanCount);
        this.scanCount = scanCount;
        return this;
    }

    /** Keys fetched per pipelined round trip (default 500). */
    public RedisSourceBuilder<T> setBatchSize(int batchSize) {
        Preconditions.checkArgument(batchSize > 0, "batch size must be positive: %s", batchSize);
        this.batchSize = batchSize;
        return this;
    }

    /**
     * Batches a reader sends before it waits for the replies of the oldest (default 2); 1 waits for
     * each batch before sending the next.
     */
    public RedisSourceBuilder<T> setMaxBatchesInFlight(int maxBatchesInFlight) {
        Preconditions.checkArgument(
                maxBatchesInFlight > 0,
                "max batches in flight must be positive: %s",
                maxBatchesInFlight);
        this.maxBatchesInFlight = maxBatchesInFlight;
        return this;
    }

    /**
     * Lists each shard's keys with a RediSearch query instead of SCAN ({@code FT.AGGREGATE ...
     * WITHCURSOR}, see {@link RedisSearchKeyQuery}): only the keys the query selects that match the
     * key pattern are read, in byte order. For hashes and JSON documents on an index of them; the
     * query must select every key whose record the job needs (a pre-filter: the records are not
     * checked against it). Not with {@link #setPointKeys}.
     */
    public RedisSourceBuilder<T> setSearch(RedisSearchKeyQuery search) {
        this.search = Objects.requireNonNull(search);
        return this;
    }

    /**
     * Reads exactly these keys (point reads: no SCAN; a key that is missing or of another type
     * yields no record) instead of the keys matching the pattern. In a cluster the keys are grouped
     * by the shard serving their slot.
     */
    public RedisSourceBuilder<T> setPointKeys(List<byte[]> keys) {
        this.pointKeys = new ArrayList<>(Objects.requireNonNull(keys));
        return this;
    }

    /** The most records each reader emits; -1 (the default) for all. */
    public RedisSourceBuilder<T> setLimit(long limit) {
        Preconditions.checkArgument(limit >= -1, "limit must be -1 or more: %s", limit);
        this.limit = limit;
        return this;
    }

    public RedisSourceBuilder<T> setDeserializer(RedisRecordDeserializer<T> deserializer) {
        this.deserializer = Objects.requireNonNull(deserializer);
        return this;
    }

    private RedisReadSpec withTimeSeriesOptions(RedisReadSpec spec) {
        RedisReadSpec out = aggregation == null ? spec : spec.withAggregation(aggregation);
        out = fetchLabels ? out.withLabels() : out;
        return labelFilter == null ? out : out.withLabelFilter(labelFilter);
    }

    /**
     * @throws NullPointerException naming what is missing
     */
    public RedisSource<T> build() {
        Objects.requireNonNull(connectionConfig, "connection config is required");
        Objects.requireNonNull(keyPattern, "key pattern is required");
        Objects.requireNonNull(deserializer, "deserializer is required");
        RedisTypeHandler handler = RedisTypes.of(dataType);
        if (search != null && pointKeys != null) {
            throw new IllegalArgumentException("A source reads point keys or searches, not both");
        }
        if (search != null && dataType != RedisDataType.HASH && dataType != RedisDataType.JSON) {
            throw new IllegalArgumentException(
                    "A RediSearch query selects hashes or JSON documents, not " + dataType);
        }
        RedisReadSpec spec =
                new RedisReadSpec(
                        handler,
                        handler.sourceFields(fields),
                        fetchTtl,
                        memberPageSize,
                        memberRange,
                        jsonPath);
        return new RedisSource<>(
                connectionConfig,
                keyPattern,
                withTimeSeriesOptions(spec),
                scanCount,
                batchSize,
                maxBatchesInFlight,
                limit,
                pointKeys,
                search,
                deserializer);
    }
}
