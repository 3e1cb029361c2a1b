package io.github.flinkredis.connector.source.stream;

import io.github.flinkredis.connector.source.reader.RedisSourceReaderBase;
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
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;
import org.apache.flink.core.io.InputStatus;

/**
 * The reader of a {@link RedisStreamSource}: one fetcher thread reading all its streams. A reader
 * without streams (more readers than streams) marks its output idle, so that it does not hold back
 * the event time of the job; its first stream's records make it active again.
 */
@Internal
final class RedisStreamSourceReader<T>
        extends RedisSourceReaderBase<
                RedisStreamRecord, T, RedisStreamSplit, RedisStreamSplitState> {

    /** Consumer groups: the channel to the split reader, which acknowledges; else null. */
    @Nullable private final RedisStreamAcks acks;

    /** Consumer groups: per checkpoint not completed yet, what it holds as emitted per split. */
    private final TreeMap<Long, Map<String, RedisStreamAcks.Checkpointed>> checkpoints =
            new TreeMap<>();

    /** The states of the splits being read, by split ID (the base class keeps them private). */
    private final Map<String, RedisStreamSplitState> states = new HashMap<>();

    RedisStreamSourceReader(
            Supplier<SplitReader<RedisStreamRecord, RedisStreamSplit>> splitReader,
            RecordEmitter<RedisStreamRecord, T, RedisStreamSplitState> emitter,
            SourceReaderContext context,
            @Nullable RedisStreamAcks acks) {
        super(splitReader, emitter, new Configuration(), context);
        this.acks = acks;
    }

    @Override
    public List<RedisStreamSplit> snapshotState(long checkpointId) {
        if (acks == null) {
            return super.snapshotState(checkpointId);
        }
        RedisStreamAcks.Acknowledged acknowledged;
        while ((acknowledged = acks.pollAcknowledged()) != null) {
            RedisStreamSplitState state = states.get(acknowledged.splitId());
            if (state != null) {
                state.acknowledged(acknowledged.claimed());
            }
        }
        List<RedisStreamSplit> splits = super.snapshotState(checkpointId);
        Map<String, RedisStreamAcks.Checkpointed> emitted = new HashMap<>();
        for (RedisStreamSplit split : splits) {
            emitted.put(
                    split.splitId(),
                    new RedisStreamAcks.Checkpointed(split.lastId(), split.claimedIds()));
        }
        checkpoints.put(checkpointId, emitted);
        return splits;
    }

    /**
     * Consumer groups: once a checkpoint completes, the entries it holds as emitted are
     * acknowledged (XACK, by the fetcher thread); earlier checkpoints that never completed are
     * covered by it. Claimed entries leave the split states once Redis confirmed their XACK (at the
     * next snapshot): until then a restore acknowledges them instead of emitting them again.
     */
    @Override
    public void notifyCheckpointComplete(long checkpointId) throws Exception {
        super.notifyCheckpointComplete(checkpointId);
        if (acks == null) {
            return;
        }
        Map<Long, Map<String, RedisStreamAcks.Checkpointed>> done =
                checkpoints.headMap(checkpointId, true);
        Map<String, RedisStreamAcks.Checkpointed> upTo = new HashMap<>();
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
    protected void onSplitFinished(Map<String, RedisStreamSplitState> finishedSplitIds) {
        states.keySet().removeAll(finishedSplitIds.keySet());
    }

    @Override
    protected RedisStreamSplitState initializedState(RedisStreamSplit split) {
        RedisStreamSplitState state = new RedisStreamSplitState(split);
        states.put(split.splitId(), state);
        return state;
    }

    @Override
    protected RedisStreamSplit toSplitType(String splitId, RedisStreamSplitState state) {
        return state.toSplit();
    }
}
