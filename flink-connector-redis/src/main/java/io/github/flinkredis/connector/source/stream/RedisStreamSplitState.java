package io.github.flinkredis.connector.source.stream;

import org.apache.flink.annotation.Internal;

/** The mutable progress of a {@link RedisStreamSplit}: the last entry ID emitted downstream. */
@Internal
final class RedisStreamSplitState {

    private final RedisStreamSplit split;
    private RedisStreamEntryId lastId;
    private boolean emitted;

    RedisStreamSplitState(RedisStreamSplit split) {
        this.split = split;
        this.lastId = split.lastId();
    }

    void emitted(RedisStreamEntryId id) {
        lastId = id;
        emitted = true;
    }

    RedisStreamSplit toSplit() {
        return emitted ? split.after(lastId) : split;
    }
}
