package io.github.flinkredis.connector.source.stream;

import io.github.flinkredis.connector.config.RedisConnectionConfig;
import io.github.flinkredis.connector.config.StreamTrimmedPolicy;
import io.github.flinkredis.connector.model.RedisRecordDeserializer;
import io.github.flinkredis.connector.model.RedisStreamConsumer;
import io.github.flinkredis.connector.model.RedisStreamPositions;
import java.util.List;
import javax.annotation.Nullable;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * A source that tails Redis Streams with {@code XREAD}: unbounded by default, or bounded by a stop
 * position per stream.
 *
 * <pre>{@code
 * RedisStreamSource<Tuple2<String, Map<String, String>>> source =
 *         RedisStreamSource.<Tuple2<String, Map<String, String>>>builder()
 *                 .setConnectionConfig(RedisConnectionConfig.fromUrl("redis://localhost:6379").build())
 *                 .setKeyPattern("orders:*")               // or one key, e.g. "orders:eu"
 *                 .setPositions(RedisStreamPositions.earliestUnbounded())
 *                 .setDeserializer(RedisRecordDeserializer.hashAsMap())
 *                 .build();
 * env.fromSource(source, WatermarkStrategy.forMonotonousTimestamps(), "orders");
 * }</pre>
 *
 * <p>Each stream is a split, assigned to one reader by the hash of its key; new streams matching
 * the pattern are found every discovery interval. A split's state is the last entry ID emitted, so
 * a job restored from a checkpoint goes on right after it: within Flink's state, no entry is lost
 * or repeated. Records carry the entry ID's milliseconds as their timestamp.
 *
 * <p>With a {@linkplain RedisStreamSourceBuilder#setConsumer consumer group}, the readers read with
 * {@code XREADGROUP GROUP g c ... STREAMS key... >}: first the consumer's pending entries (those
 * emitted before the checkpoint the job restored are acknowledged, not emitted again), then new
 * ones; the entries a checkpoint holds as emitted are acknowledged ({@code XACK}) when it
 * completes. The enumerator creates a missing group at the startup position ({@code XGROUP CREATE
 * key g id MKSTREAM}); an existing group keeps its position. With a {@linkplain
 * RedisStreamConsumer#withClaimMinIdle claim threshold}, the readers also claim and emit the
 * entries other consumers left pending for that long ({@code XPENDING}, {@code XCLAIM}).
 *
 * <p>Redis commands: {@code SCAN ... TYPE stream} and {@code XREVRANGE key + - COUNT 1} in the
 * enumerator; {@code XREAD COUNT n BLOCK ms STREAMS key... id...} in the readers, one per hash slot
 * of their streams, on a dedicated connection per slot.
 *
 * @param <T> the type of the records the deserializer emits
 */
@PublicEvolving
public final class RedisStreamSource<T>
        implements Source<T, RedisStreamSplit, RedisStreamEnumeratorState>, ResultTypeQueryable<T> {

    private static final long serialVersionUID = 1L;

    private final RedisConnectionConfig connectionConfig;
    private final String keyPattern;
    @Nullable private final List<String> fields;
    private final RedisStreamPositions positions;
    private final int count;
    private final long blockMillis;
    private final long discoveryIntervalMillis;
    private final long reconnectWindowMillis;
    @Nullable private final RedisStreamConsumer consumer;
    private final StreamTrimmedPolicy trimmedPolicy;
    private final RedisRecordDeserializer<T> deserializer;

    /** Metric, per reader: streams found to have lost entries after the read's position. */
    public static final String METRIC_STREAM_GAPS = "numStreamGaps";

    /** Metric, per reader: entries claimed from other consumers of the group and emitted. */
    public static final String METRIC_ENTRIES_CLAIMED = "numStreamEntriesClaimed";

    RedisStreamSource(
            RedisConnectionConfig connectionConfig,
            String keyPattern,
            @Nullable List<String> fields,
            RedisStreamPositions positions,
            int count,
            long blockMillis,
            long discoveryIntervalMillis,
            long reconnectWindowMillis,
            @Nullable RedisStreamConsumer consumer,
            StreamTrimmedPolicy trimmedPolicy,
            RedisRecordDeserializer<T> deserializer) {
        this.trimmedPolicy = trimmedPolicy;
        this.consumer = consumer;
        this.connectionConfig = connectionConfig;
        this.keyPattern = keyPattern;
        this.fields = fields == null ? null : List.copyOf(fields);
        this.positions = positions;
        this.count = count;
        this.blockMillis = blockMillis;
        this.discoveryIntervalMillis = discoveryIntervalMillis;
        this.reconnectWindowMillis = reconnectWindowMillis;
        this.deserializer = deserializer;
    }

    /** A builder of a {@code RedisStreamSource} emitting {@code T}. */
    public static <T> RedisStreamSourceBuilder<T> builder() {
        return new RedisStreamSourceBuilder<>();
    }

    @Override
    public Boundedness getBoundedness() {
        return positions.isBounded() ? Boundedness.BOUNDED : Boundedness.CONTINUOUS_UNBOUNDED;
    }

    @Override
    public SourceReader<T, RedisStreamSplit> createReader(SourceReaderContext readerContext)
            throws Exception {
        RedisRecordDeserializer.open(
                deserializer, readerContext.metricGroup(), readerContext.getUserCodeClassLoader());
        RedisStreamAcks acks = new RedisStreamAcks();
        RedisStreamMetrics metrics =
                new RedisStreamMetrics(readerContext.metricGroup(), consumer != null);
        return new RedisStreamSourceReader<>(
                () -> {
                    RedisStreamSplitReader reader =
                            new RedisStreamSplitReader(
                                    connectionConfig,
                                    fields,
                                    count,
                                    blockMillis,
                                    reconnectWindowMillis,
                                    consumer,
                                    acks,
                                    trimmedPolicy,
                                    metrics);
                    acks.attach(reader);
                    return reader;
                },
                new RedisStreamRecordEmitter<>(deserializer),
                readerContext,
                consumer == null ? null : acks);
    }

    @Override
    public SplitEnumerator<RedisStreamSplit, RedisStreamEnumeratorState> createEnumerator(
            SplitEnumeratorContext<RedisStreamSplit> enumContext) {
        return new RedisStreamEnumerator(
                enumContext,
                connectionConfig,
                keyPattern,
                positions,
                discoveryIntervalMillis,
                consumer,
                null);
    }

    @Override
    public SplitEnumerator<RedisStreamSplit, RedisStreamEnumeratorState> restoreEnumerator(
            SplitEnumeratorContext<RedisStreamSplit> enumContext,
            RedisStreamEnumeratorState checkpoint) {
        return new RedisStreamEnumerator(
                enumContext,
                connectionConfig,
                keyPattern,
                positions,
                discoveryIntervalMillis,
                consumer,
                checkpoint);
    }

    @Override
    public SimpleVersionedSerializer<RedisStreamSplit> getSplitSerializer() {
        return RedisStreamSplitSerializer.INSTANCE;
    }

    @Override
    public SimpleVersionedSerializer<RedisStreamEnumeratorState>
            getEnumeratorCheckpointSerializer() {
        return new RedisStreamEnumeratorState.Serializer();
    }

    @Override
    public TypeInformation<T> getProducedType() {
        return deserializer.getProducedType();
    }

    public String getKeyPattern() {
        return keyPattern;
    }

    public RedisStreamPositions getPositions() {
        return positions;
    }
}
