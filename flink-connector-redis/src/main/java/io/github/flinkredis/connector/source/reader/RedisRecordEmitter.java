package io.github.flinkredis.connector.source.reader;

import io.github.flinkredis.connector.model.RedisRecordDeserializer;
import io.github.flinkredis.connector.source.split.RedisScanSplitState;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.connector.base.source.reader.RecordEmitter;
import org.apache.flink.util.Collector;

/**
 * Deserializes each {@link RedisScanRecord} into the source's output, then advances the split state
 * past it, so that a checkpoint holds exactly the keys that went downstream.
 */
@Internal
public class RedisRecordEmitter<T>
        implements RecordEmitter<RedisScanRecord, T, RedisScanSplitState> {

    private final RedisRecordDeserializer<T> deserializer;
    private final OutputCollector<T> collector = new OutputCollector<>();

    public RedisRecordEmitter(RedisRecordDeserializer<T> deserializer) {
        this.deserializer = deserializer;
    }

    @Override
    public void emitRecord(
            RedisScanRecord element, SourceOutput<T> output, RedisScanSplitState splitState)
            throws Exception {
        collector.output = output;
        deserializer.deserialize(element.record(), collector);
        if (element.memberCursor() != null) {
            splitState.markMemberEmitted(
                    element.nodeAddress(),
                    element.pageCursor(),
                    element.record().key(),
                    element.memberCursor(),
                    element.memberSkip());
        } else {
            splitState.markEmitted(
                    element.nodeAddress(),
                    element.pageCursor(),
                    element.record().key(),
                    element.nextCursor());
        }
    }

    private static final class OutputCollector<T> implements Collector<T> {
        private SourceOutput<T> output;

        @Override
        public void collect(T record) {
            output.collect(record);
        }

        @Override
        public void close() {}
    }
}
