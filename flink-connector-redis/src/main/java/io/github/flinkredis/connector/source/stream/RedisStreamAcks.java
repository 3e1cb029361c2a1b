package io.github.flinkredis.connector.source.stream;

import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import javax.annotation.Nullable;
import org.apache.flink.annotation.Internal;

/**
 * Hands the positions of completed checkpoints from the source reader's task thread to its split
 * reader's fetcher thread, which acknowledges (XACK) the entries emitted up to them.
 */
@Internal
final class RedisStreamAcks {

    private final ConcurrentLinkedQueue<Map<String, RedisStreamEntryId>> completed =
            new ConcurrentLinkedQueue<>();
    @Nullable private volatile RedisStreamSplitReader reader;

    void attach(RedisStreamSplitReader reader) {
        this.reader = reader;
    }

    /** Per split ID, the last entry ID a completed checkpoint holds as emitted. */
    void completed(Map<String, RedisStreamEntryId> lastEmitted) {
        completed.add(lastEmitted);
        RedisStreamSplitReader r = reader;
        if (r != null) {
            r.wakeUp();
        }
    }

    @Nullable
    Map<String, RedisStreamEntryId> poll() {
        return completed.poll();
    }
}
