package io.github.flinkredis.connector.source.stream;

import io.github.flinkredis.connector.model.RedisStreamEntryId;
import java.util.Collection;
import java.util.TreeSet;
import org.apache.flink.annotation.Internal;

/**
 * The mutable progress of a {@link RedisStreamSplit}: the last entry ID emitted downstream, and the
 * claimed entries emitted and not acknowledged yet.
 */
@Internal
final class RedisStreamSplitState {

    private final RedisStreamSplit split;
    private RedisStreamEntryId lastId;
    private boolean emitted;
    private final TreeSet<RedisStreamEntryId> claimed;

    RedisStreamSplitState(RedisStreamSplit split) {
        this.split = split;
        this.lastId = split.lastId();
        this.claimed = new TreeSet<>(split.claimedIds());
    }

    /** An entry read in ID order went downstream. */
    void emitted(RedisStreamEntryId id) {
        lastId = id;
        emitted = true;
    }

    /** A claimed entry went downstream. */
    void claimedEmitted(RedisStreamEntryId id) {
        claimed.add(id);
    }

    /** Claimed entries were acknowledged: a restore no longer finds them pending. */
    void acknowledged(Collection<RedisStreamEntryId> ids) {
        claimed.removeAll(ids);
    }

    /** The claimed entries emitted and not acknowledged yet. */
    Collection<RedisStreamEntryId> claimed() {
        return claimed;
    }

    RedisStreamSplit toSplit() {
        if (!emitted && claimed.equals(new TreeSet<>(split.claimedIds()))) {
            return split;
        }
        return new RedisStreamSplit(
                split.key(), lastId, split.stopId(), emitted || split.isResumed(), claimed);
    }
}
