package io.github.flinkredis.connector.source.reader;

import java.util.function.Supplier;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.source.reader.RecordEmitter;
import org.apache.flink.connector.base.source.reader.SingleThreadMultiplexSourceReaderBase;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;
import org.apache.flink.core.io.InputStatus;

/**
 * The base of the connector's source readers (scans and streams): Flink's single-fetcher reader,
 * with the failures of the fetcher thread never lost.
 *
 * <p>Flink's {@code SourceReaderBase.pollNext} (1.20 to 2.3) looks for a fetcher failure before it
 * takes the next fetch from the queue, not after. When the fetch it takes holds no record (the
 * split readers return empty fetches while they wait for a node to come back, or between XREADs)
 * and is the last one queued, the queue becomes unavailable with a new future. A failure recorded
 * between the look and the take notified the previous, already complete future, so nothing
 * completes the new one: the task waits forever instead of failing, and a job that should restart
 * hangs. {@link #pollNext} looks once more whenever it has nothing available; a failure recorded
 * after that look notifies the new future.
 */
@Internal
public abstract class RedisSourceReaderBase<E, T, SplitT extends SourceSplit, SplitStateT>
        extends SingleThreadMultiplexSourceReaderBase<E, T, SplitT, SplitStateT> {

    protected RedisSourceReaderBase(
            Supplier<SplitReader<E, SplitT>> splitReaderSupplier,
            RecordEmitter<E, T, SplitStateT> recordEmitter,
            Configuration config,
            SourceReaderContext context) {
        super(splitReaderSupplier, recordEmitter, config, context);
    }

    /**
     * Polls as Flink's reader does; with nothing available, throws the fetcher's failure if one was
     * recorded.
     *
     * @throws RuntimeException wrapping the fetcher thread's failure
     */
    @Override
    public InputStatus pollNext(ReaderOutput<T> output) throws Exception {
        InputStatus status = super.pollNext(output);
        if (status == InputStatus.NOTHING_AVAILABLE) {
            splitFetcherManager.checkErrors();
        }
        return status;
    }
}
