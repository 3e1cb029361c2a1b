package io.github.flinkredis.connector.source.stream;

import io.github.flinkredis.connector.source.RedisRecord;
import io.github.flinkredis.connector.source.RedisRecordDeserializer;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.connector.base.source.reader.RecordEmitter;
import org.apache.flink.util.Collector;

/**
 * Deserializes each stream entry into the source's output, with the entry ID's milliseconds as the
 * record's timestamp, then moves the split's position past the entry, so that a checkpoint holds
 * exactly the entries that went downstream.
 */
@Internal
final class RedisStreamRecordEmitter<T>
        implements RecordEmitter<RedisRecord, T, RedisStreamSplitState> {

    private final RedisRecordDeserializer<T> deserializer;
    private final TimestampedCollector<T> collector = new TimestampedCollector<>();

    RedisStreamRecordEmitter(RedisRecordDeserializer<T> deserializer) {
        this.deserializer = deserializer;
    }

    @Override
    public void emitRecord(RedisRecord entry, SourceOutput<T> output, RedisStreamSplitState state)
            throws Exception {
        RedisStreamEntryId id = RedisStreamEntryId.parse(entry.entryId());
        collector.output = output;
        collector.timestamp = id.millis();
        deserializer.deserialize(entry, collector);
        state.emitted(id);
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
