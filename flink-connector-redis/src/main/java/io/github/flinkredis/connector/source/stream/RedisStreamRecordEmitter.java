package io.github.flinkredis.connector.source.stream;

import io.github.flinkredis.connector.model.RedisRecordDeserializer;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.connector.base.source.reader.RecordEmitter;
import org.apache.flink.util.Collector;

/**
 * Deserializes each stream entry into the source's output, with the entry ID's milliseconds as the
 * record's timestamp, then moves the split's position past the entry (or, for a claimed entry, adds
 * it to the split's claimed entries), so that a checkpoint holds exactly the entries that went
 * downstream.
 */
@Internal
final class RedisStreamRecordEmitter<T>
        implements RecordEmitter<RedisStreamRecord, T, RedisStreamSplitState> {

    private final RedisRecordDeserializer<T> deserializer;
    private final TimestampedCollector<T> collector = new TimestampedCollector<>();

    RedisStreamRecordEmitter(RedisRecordDeserializer<T> deserializer) {
        this.deserializer = deserializer;
    }

    @Override
    public void emitRecord(
            RedisStreamRecord entry, SourceOutput<T> output, RedisStreamSplitState state)
            throws Exception {
        collector.output = output;
        collector.timestamp = entry.id.millis();
        deserializer.deserialize(entry.record, collector);
        if (entry.claimed) {
            state.claimedEmitted(entry.id);
        } else {
            state.emitted(entry.id);
        }
    }

    private static final class TimestampedCollector<T> implements Collector<T> {
        private SourceOutput<T> output;
        private long timestamp;

        @Override
        public void collect(T record) {
            output.collect(record, timestamp);
        }

        @Override
        public void close() {}
    }
}
