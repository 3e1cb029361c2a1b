package io.github.flinkredis.connector.source.stream;

import io.github.flinkredis.connector.source.RedisRecord;
import java.util.Map;
import java.util.function.Supplier;
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

    RedisStreamSourceReader(
            Supplier<SplitReader<RedisRecord, RedisStreamSplit>> splitReader,
            RecordEmitter<RedisRecord, T, RedisStreamSplitState> emitter,
            SourceReaderContext context) {
        super(splitReader, emitter, new Configuration(), context);
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
