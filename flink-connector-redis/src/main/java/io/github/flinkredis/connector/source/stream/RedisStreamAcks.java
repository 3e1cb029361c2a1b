package io.github.flinkredis.connector.source.stream;

import io.github.flinkredis.connector.model.RedisStreamEntryId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import javax.annotation.Nullable;
import org.apache.flink.annotation.Internal;

/**
 * Consumer groups: hands the positions of completed checkpoints from the source reader's task
 * thread to its split reader's fetcher thread, which acknowledges (XACK) the entries emitted up to
 * them, and hands back the claimed entries whose acknowledgement Redis confirmed, which the task
 * thread then drops from the split states.
 */
@Internal
final class RedisStreamAcks {

    /**
     * What a completed checkpoint holds of one stream: the last entry emitted in ID order, and the
     * claimed entries emitted.
     */
    record Checkpointed(RedisStreamEntryId lastEmitted, List<RedisStreamEntryId> claimed) {}

    /** Claimed entries of one stream that Redis acknowledged. */
    record Acknowledged(String splitId, List<RedisStreamEntryId> claimed) {}

    private final ConcurrentLinkedQueue<Map<String, Checkpointed>> completed =
            new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Acknowledged> acknowledged = new ConcurrentLinkedQueue<>();
    @Nullable private volatile RedisStreamSplitReader reader;

    void attach(RedisStreamSplitReader reader) {
        this.reader = reader;
    }

    /** Task thread: per split ID, what a completed checkpoint holds as emitted. */
    void completed(Map<String, Checkpointed> emitted) {
        completed.add(emitted);
        RedisStreamSplitReader r = reader;
        if (r != null) {
            r.wakeUp();
        }
    }

    /** Fetcher thread: the next completed checkpoint's positions, or null. */
    @Nullable
    Map<String, Checkpointed> poll() {
        return completed.poll();
    }

    /** Fetcher thread: Redis acknowledged these claimed entries. */
    void acknowledged(String splitId, List<RedisStreamEntryId> claimed) {
        acknowledged.add(new Acknowledged(splitId, claimed));
    }

    /** Task thread: the next claimed entries Redis acknowledged, or null. */
    @Nullable
    Acknowledged pollAcknowledged() {
        return acknowledged.poll();
    }
}
