package io.github.flinkredis.connector.source.enumerator;

import io.github.flinkredis.connector.source.split.RedisScanSplit;
import java.util.List;
import org.apache.flink.annotation.Internal;

/** The enumerator's checkpoint: the splits not yet assigned to a reader. */
@Internal
public final class RedisEnumeratorState {

    private final List<RedisScanSplit> unassignedSplits;
    private final boolean splitsDiscovered;

    public RedisEnumeratorState(List<RedisScanSplit> unassignedSplits, boolean splitsDiscovered) {
        this.unassignedSplits = List.copyOf(unassignedSplits);
        this.splitsDiscovered = splitsDiscovered;
    }

    public List<RedisScanSplit> unassignedSplits() {
        return unassignedSplits;
    }

    /** Whether the shards were listed already (the splits were created). */
    public boolean splitsDiscovered() {
        return splitsDiscovered;
    }
}
