package io.github.flinkredis.connector.source.stream;

import io.github.flinkredis.connector.model.RedisRecord;
import io.github.flinkredis.connector.model.RedisStreamEntryId;
import org.apache.flink.annotation.Internal;

/**
 * A stream entry as the split reader hands it to the emitter: its record, its parsed ID, and
 * whether it was claimed from another consumer (then it does not move the split's position).
 */
@Internal
final class RedisStreamRecord {

    final RedisRecord record;
    final RedisStreamEntryId id;
    final boolean claimed;

    RedisStreamRecord(RedisRecord record, RedisStreamEntryId id, boolean claimed) {
        this.record = record;
        this.id = id;
        this.claimed = claimed;
    }
}
