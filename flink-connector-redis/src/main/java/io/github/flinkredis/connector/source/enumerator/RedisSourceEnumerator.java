package io.github.flinkredis.connector.source.enumerator;

import io.github.flinkredis.connector.config.RedisConnectionConfig;
import io.github.flinkredis.connector.source.split.RedisScanSplit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.annotation.Nullable;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates one {@link RedisScanSplit} per shard and assigns the splits round-robin to the readers;
 * every reader then hears that no more splits come, so the bounded scan ends when all splits are
 * read.
 *
 * <p>A standalone server is one shard; a reader without a split finishes at once. Splits handed
 * back by a failed reader are assigned again when a reader registers.
 */
@Internal
public class RedisSourceEnumerator
        implements SplitEnumerator<RedisScanSplit, RedisEnumeratorState> {

    private static final Logger LOG = LoggerFactory.getLogger(RedisSourceEnumerator.class);

    private final SplitEnumeratorContext<RedisScanSplit> context;
    private final RedisConnectionConfig connectionConfig;
    private final String keyPattern;
    private final List<RedisScanSplit> unassigned;
    private boolean splitsDiscovered;

    public RedisSourceEnumerator(
            SplitEnumeratorContext<RedisScanSplit> context,
            RedisConnectionConfig connectionConfig,
            String keyPattern,
            @Nullable RedisEnumeratorState restored) {
        this.context = context;
        this.connectionConfig = connectionConfig;
        this.keyPattern = keyPattern;
        this.unassigned =
                restored == null ? new ArrayList<>() : new ArrayList<>(restored.unassignedSplits());
        this.splitsDiscovered = restored != null && restored.splitsDiscovered();
    }

    @Override
    public void start() {
        if (!splitsDiscovered) {
            String node = connectionConfig.getHost() + ":" + connectionConfig.getPort();
            unassigned.add(RedisScanSplit.initial("shard-0:" + node, node, keyPattern));
            splitsDiscovered = true;
            LOG.info("Scanning {} keys matching '{}' in 1 split", connectionConfig, keyPattern);
        }
    }

    @Override
    public void handleSplitRequest(int subtaskId, @Nullable String requesterHostname) {
        // splits are pushed on registration
    }

    @Override
    public void addSplitsBack(List<RedisScanSplit> splits, int subtaskId) {
        unassigned.addAll(splits);
        if (context.registeredReaders().containsKey(subtaskId)) {
            assignPending();
        }
    }

    @Override
    public void addReader(int subtaskId) {
        assignPending();
    }

    private void assignPending() {
        int parallelism = context.currentParallelism();
        Map<Integer, List<RedisScanSplit>> assignment = new HashMap<>();
        List<RedisScanSplit> kept = new ArrayList<>();
        for (RedisScanSplit split : unassigned) {
            int owner = Math.floorMod(split.splitId().hashCode(), parallelism);
            if (context.registeredReaders().containsKey(owner)) {
                assignment.computeIfAbsent(owner, k -> new ArrayList<>()).add(split);
            } else {
                kept.add(split);
            }
        }
        unassigned.clear();
        unassigned.addAll(kept);
        if (!assignment.isEmpty()) {
            context.assignSplits(
                    new org.apache.flink.api.connector.source.SplitsAssignment<>(assignment));
        }
        for (int reader : context.registeredReaders().keySet()) {
            if (!ownsPending(reader, parallelism)) {
                context.signalNoMoreSplits(reader);
            }
        }
    }

    private boolean ownsPending(int reader, int parallelism) {
        for (RedisScanSplit split : unassigned) {
            if (Math.floorMod(split.splitId().hashCode(), parallelism) == reader) {
                return true;
            }
        }
        return false;
    }

    @Override
    public RedisEnumeratorState snapshotState(long checkpointId) {
        return new RedisEnumeratorState(Collections.unmodifiableList(unassigned), splitsDiscovered);
    }

    @Override
    public void close() {}
}
