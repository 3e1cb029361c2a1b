package io.github.flinkredis.connector.source.stream;

import io.github.flinkredis.connector.source.RedisRecord;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import javax.annotation.Nullable;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.source.reader.RecordEmitter;
import org.apache.flink.connector.base.source.reader.SingleThreadMultiplexSourceReaderBase;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;
import org.apache.flink.core.io.InputStatus;

/**
 * The reader of a {@link RedisStreamSource}: one fetcher thread reading all its streams. A reader
 * without streams (more readers than streams) marks its output idle, so that it does not hold back
 * the event time of the job; its first stream's records make it active again.
 */
@Internal
final class RedisStreamSourceReader<T>
        extends SingleThreadMultiplexSourceReaderBase<
                RedisRecord, T, RedisStreamSplit, RedisStreamSplitState> {

    /** Consumer groups: the channel to the split reader, which acknowledges; else null. */
    @Nullable private final RedisStreamAcks acks;

    /** Consumer groups: per checkpoint not completed yet, the last emitted ID per split. */
    private final TreeMap<Long, Map<String, RedisStreamEntryId>> checkpoints = new TreeMap<>();

    RedisStreamSourceReader(
            Supplier<SplitReader<RedisRecord, RedisStreamSplit>> splitReader,
            RecordEmitter<RedisRecord, T, RedisStreamSplitState> emitter,
            SourceReaderContext context,
            @Nullable RedisStreamAcks acks) {
        super(splitReader, emitter, new Configuration(), context);
        this.acks = acks;
    }

    @Override
    public List<RedisStreamSplit> snapshotState(long checkpointId) {
        List<RedisStreamSplit> splits = super.snapshotState(checkpointId);
        if (acks != null) {
            Map<String, RedisStreamEntryId> lastEmitted = new HashMap<>();
            for (RedisStreamSplit split : splits) {
                lastEmitted.put(split.splitId(), split.lastId());
            }
            checkpoints.put(checkpointId, lastEmitted);
        }
        return splits;
    }

    /**
     * Consumer groups: once a checkpoint completes, the entries it holds as emitted are
     * acknowledged (XACK, by the fetcher thread); earlier checkpoints that never completed are
     * covered by it.
     */
    @Override
    public void notifyCheckpointComplete(long checkpointId) throws Exception {
        super.notifyCheckpointComplete(checkpointId);
        if (acks == null) {
            return;
        }
        Map<Long, Map<String, RedisStreamEntryId>> done = checkpoints.headMap(checkpointId, true);
        Map<String, RedisStreamEntryId> upTo = new HashMap<>();
        done.values().forEach(upTo::putAll);
        done.clear();
        if (!upTo.isEmpty()) {
            acks.completed(upTo);
        }
    }

    @Override
    public InputStatus pollNext(ReaderOutput<T> output) throws Exception {
        InputStatus status = super.pollNext(output);
        if (status == InputStatus.NOTHING_AVAILABLE && getNumberOfCurrentlyAssignedSplits() == 0) {
            output.markIdle();
        }
        return status;
    }

    @Override
    protected void onSplitFinished(Map<String, RedisStreamSplitState> finishedSplitIds) {}

    @Override
    protected RedisStreamSplitState initializedState(RedisStreamSplit split) {
        return new RedisStreamSplitState(split);
    }

    @Override
    protected RedisStreamSplit toSplitType(String splitId, RedisStreamSplitState state) {
        return state.toSplit();
    }
}
