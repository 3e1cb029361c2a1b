package io.github.flinkredis.connector.source;

import io.github.flinkredis.connector.config.RedisConnectionConfig;
import io.github.flinkredis.connector.model.RedisReadSpec;
import io.github.flinkredis.connector.model.RedisRecordDeserializer;
import io.github.flinkredis.connector.search.RedisSearchKeyQuery;
import io.github.flinkredis.connector.source.enumerator.RedisEnumeratorState;
import io.github.flinkredis.connector.source.enumerator.RedisEnumeratorStateSerializer;
import io.github.flinkredis.connector.source.enumerator.RedisSourceEnumerator;
import io.github.flinkredis.connector.source.reader.RedisKeySplitReader;
import io.github.flinkredis.connector.source.reader.RedisRecordEmitter;
import io.github.flinkredis.connector.source.reader.RedisSourceReader;
import io.github.flinkredis.connector.source.split.RedisScanSplit;
import io.github.flinkredis.connector.source.split.RedisScanSplitSerializer;
import java.util.List;
import javax.annotation.Nullable;
import org.apache.flink.annotation.Internal;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.metrics.Counter;

/**
 * A bounded source that scans the Redis keys matching a pattern and reads each key's hash fields.
 *
 * <p>Build one with {@link #builder()}:
 *
 * <pre>{@code
 * RedisSource<Tuple2<String, Map<String, String>>> source =
 *         RedisSource.<Tuple2<String, Map<String, String>>>builder()
 *                 .setConnectionConfig(RedisConnectionConfig.fromUrl("redis://localhost:6379").build())
 *                 .setKeyPattern("user:*")
 *                 .setFields("name", "age")          // HMGET; omit for HGETALL
 *                 .setDeserializer(RedisRecordDeserializer.hashAsMap())
 *                 .build();
 * env.fromSource(source, WatermarkStrategy.noWatermarks(), "users");
 * }</pre>
 *
 * <p>Each shard (the single node of a standalone or Sentinel-managed server, or each primary of a
 * Redis Cluster) is one split whose position is its SCAN cursor on that node, kept in Flink's
 * checkpoints: a job restored mid-scan resumes and emits every key once. The splits of a cluster
 * are read in parallel by up to as many readers as there are shards. Redis commands: {@code SCAN
 * cursor MATCH pattern COUNT n TYPE hash}, then per key, pipelined, {@code HMGET} or {@code
 * HGETALL} and optionally {@code PTTL}. A source whose keys a RediSearch query selects ({@link
 * RedisSourceBuilder#setSearch}) lists each shard's keys with that query instead of SCAN.
 *
 * @param <T> the type of the records the deserializer emits
 */
@PublicEvolving
public final class RedisSource<T>
        implements Source<T, RedisScanSplit, RedisEnumeratorState>, ResultTypeQueryable<T> {

    private static final long serialVersionUID = 1L;

    /** Metric, per reader: keys skipped because their type changed between SCAN and fetch. */
    public static final String METRIC_KEYS_SKIPPED_WRONG_TYPE = "numKeysSkippedWrongType";

    /**
     * Metric, per reader: scans started again because the node serving a shard changed (a failover)
     * between a checkpoint and its restore.
     */
    public static final String METRIC_SCAN_RESTARTS = "numScanRestarts";

    private final RedisConnectionConfig connectionConfig;
    private final String keyPattern;
    private final RedisReadSpec readSpec;
    private final int scanCount;
    private final int batchSize;
    private final int maxBatchesInFlight;
    private final long limit;
    @Nullable private final List<byte[]> pointKeys;
    @Nullable private final RedisSearchKeyQuery search;
    private final RedisRecordDeserializer<T> deserializer;

    RedisSource(
            RedisConnectionConfig connectionConfig,
            String keyPattern,
            RedisReadSpec readSpec,
            int scanCount,
            int batchSize,
            int maxBatchesInFlight,
            long limit,
            @Nullable List<byte[]> pointKeys,
            @Nullable RedisSearchKeyQuery search,
            RedisRecordDeserializer<T> deserializer) {
        this.pointKeys = pointKeys == null ? null : List.copyOf(pointKeys);
        this.search = search;
        this.connectionConfig = connectionConfig;
        this.keyPattern = keyPattern;
        this.readSpec = readSpec;
        this.scanCount = scanCount;
        this.batchSize = batchSize;
        this.maxBatchesInFlight = maxBatchesInFlight;
        this.limit = limit;
        this.deserializer = deserializer;
    }

    /** A builder of a {@code RedisSource} emitting {@code T}. */
    public static <T> RedisSourceBuilder<T> builder() {
        return new RedisSourceBuilder<>();
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.BOUNDED;
    }

    @Override
    public SourceReader<T, RedisScanSplit> createReader(SourceReaderContext readerContext)
            throws Exception {
        RedisRecordDeserializer.open(
                deserializer, readerContext.metricGroup(), readerContext.getUserCodeClassLoader());
        Counter wrongType = readerContext.metricGroup().counter(METRIC_KEYS_SKIPPED_WRONG_TYPE);
        Counter restarts = readerContext.metricGroup().counter(METRIC_SCAN_RESTARTS);
        return new RedisSourceReader<>(
                () ->
                        new RedisKeySplitReader(
                                connectionConfig,
                                readSpec,
                                scanCount,
                                batchSize,
                                maxBatchesInFlight,
                                limit,
                                search,
                                wrongType,
                                restarts),
                new RedisRecordEmitter<>(deserializer),
                new Configuration(),
                readerContext);
    }

    @Override
    public SplitEnumerator<RedisScanSplit, RedisEnumeratorState> createEnumerator(
            SplitEnumeratorContext<RedisScanSplit> enumContext) {
        return new RedisSourceEnumerator(
                enumContext, connectionConfig, keyPattern, pointKeys, null);
    }

    @Override
    public SplitEnumerator<RedisScanSplit, RedisEnumeratorState> restoreEnumerator(
            SplitEnumeratorContext<RedisScanSplit> enumContext, RedisEnumeratorState checkpoint) {
        return new RedisSourceEnumerator(
                enumContext, connectionConfig, keyPattern, pointKeys, checkpoint);
    }

    @Override
    public SimpleVersionedSerializer<RedisScanSplit> getSplitSerializer() {
        return RedisScanSplitSerializer.INSTANCE;
    }

    @Override
    public SimpleVersionedSerializer<RedisEnumeratorState> getEnumeratorCheckpointSerializer() {
        return new RedisEnumeratorStateSerializer();
    }

    @Override
    public TypeInformation<T> getProducedType() {
        return deserializer.getProducedType();
    }

    public RedisConnectionConfig getConnectionConfig() {
        return connectionConfig;
    }

    public String getKeyPattern() {
        return keyPattern;
    }

    /** The keys read instead of a SCAN (point reads), or null for a scan. */
    @Nullable
    public List<byte[]> getPointKeys() {
        return pointKeys;
    }

    /** The query whose keys are read instead of SCAN's, or null. */
    @Nullable
    RedisSearchKeyQuery getSearch() {
        return search;
    }

    @Internal
    public RedisReadSpec getReadSpec() {
        return readSpec;
    }

    int getScanCount() {
        return scanCount;
    }

    int getBatchSize() {
        return batchSize;
    }

    int getMaxBatchesInFlight() {
        return maxBatchesInFlight;
    }

    RedisRecordDeserializer<T> getDeserializer() {
        return deserializer;
    }

    /** The most records each reader emits (LIMIT pushdown), or -1 for no limit. */
    public long getLimit() {
        return limit;
    }
}
