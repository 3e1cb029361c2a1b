package io.github.flinkredis.connector.source.reader;

import io.github.flinkredis.connector.source.split.RedisScanSplit;
import io.github.flinkredis.connector.source.split.RedisScanSplitState;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.source.reader.RecordEmitter;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;

/**
 * The source reader of a Redis scan: one fetcher thread with one {@link RedisKeySplitReader} and
 * one connection; deserialization runs in the task thread.
 */
@Internal
public class RedisSourceReader<T>
        extends RedisSourceReaderBase<RedisScanRecord, T, RedisScanSplit, RedisScanSplitState> {

    public RedisSourceReader(
            Supplier<SplitReader<RedisScanRecord, RedisScanSplit>> splitReaderSupplier,
            RecordEmitter<RedisScanRecord, T, RedisScanSplitState> recordEmitter,
            Configuration config,
            SourceReaderContext context) {
        super(splitReaderSupplier, recordEmitter, config, context);
    }

    @Override
    public void start() {
        // a bounded scan gets its splits pushed by the enumerator; nothing to request
    }

    @Override
    protected void onSplitFinished(Map<String, RedisScanSplitState> finishedSplitIds) {}

    @Override
    protected RedisScanSplitState initializedState(RedisScanSplit split) {
        return new RedisScanSplitState(split);
    }

    @Override
    protected RedisScanSplit toSplitType(String splitId, RedisScanSplitState splitState) {
        return splitState.toSplit();
    }
}
