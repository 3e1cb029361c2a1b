package io.github.flinkredis.connector.source.enumerator;

import io.github.flinkredis.connector.client.RedisClientFactory;
import io.github.flinkredis.connector.client.RedisShard;
import io.github.flinkredis.connector.config.RedisConnectionConfig;
import io.github.flinkredis.connector.source.split.RedisScanSplit;
import io.lettuce.core.cluster.SlotHash;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.annotation.Nullable;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.connector.source.SplitsAssignment;
import org.apache.flink.util.FlinkRuntimeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lists the shards of the deployment once, off the coordinator thread ({@code callAsync}), makes
 * one {@link RedisScanSplit} per shard, and assigns the splits round-robin to the readers; every
 * reader then hears that no more splits come, so the bounded scan ends when all splits are read.
 *
 * <p>A standalone or Sentinel-managed server is one shard; a Redis Cluster has one per primary. A
 * reader without a split finishes at once. Splits handed back by a failed reader are assigned again
 * when a reader registers. A connection failure during discovery fails the job at its start, with
 * the connector's message.
 */
@Internal
public class RedisSourceEnumerator
        implements SplitEnumerator<RedisScanSplit, RedisEnumeratorState> {

    private static final Logger LOG = LoggerFactory.getLogger(RedisSourceEnumerator.class);

    private final SplitEnumeratorContext<RedisScanSplit> context;
    private final RedisConnectionConfig connectionConfig;
    private final String keyPattern;
    @Nullable private final List<byte[]> pointKeys;
    private final List<RedisScanSplit> unassigned;
    private final Set<Integer> toldNoMoreSplits = new HashSet<>();
    private boolean splitsDiscovered;
    private FlinkRuntimeException discoveryError;

    public RedisSourceEnumerator(
            SplitEnumeratorContext<RedisScanSplit> context,
            RedisConnectionConfig connectionConfig,
            String keyPattern,
            @Nullable List<byte[]> pointKeys,
            @Nullable RedisEnumeratorState restored) {
        this.pointKeys = pointKeys;
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
            context.callAsync(
                    () -> RedisClientFactory.discoverShards(connectionConfig),
                    this::onShardsDiscovered);
        }
    }

    private void onShardsDiscovered(List<RedisShard> shards, Throwable error) {
        if (error != null) {
            discoveryError =
                    new FlinkRuntimeException(
                            "Listing the shards of " + connectionConfig.endpoint() + " failed",
                            error);
            // fail once a reader has registered: failing while the tasks are still being
            // initialised can hit a Flink bug that kills the TaskManager (collect sink)
            if (!context.registeredReaders().isEmpty()) {
                throw discoveryError;
            }
            return;
        }
        unassigned.addAll(splitsOf(shards, connectionConfig, keyPattern, pointKeys));
        splitsDiscovered = true;
        if (pointKeys == null) {
            LOG.info(
                    "Scanning keys matching '{}' of {} in {} split(s): {}",
                    keyPattern,
                    connectionConfig.endpoint(),
                    shards.size(),
                    shards);
        } else {
            LOG.info(
                    "Reading {} key(s) of {} without a scan, in {} split(s)",
                    pointKeys.size(),
                    connectionConfig.endpoint(),
                    unassigned.size());
        }
        assignPending();
    }

    /**
     * The splits of a scan of {@code shards}: one per shard, or, for point reads, one per shard
     * that serves some of {@code pointKeys}.
     */
    public static List<RedisScanSplit> splitsOf(
            List<RedisShard> shards,
            RedisConnectionConfig connectionConfig,
            String keyPattern,
            @Nullable List<byte[]> pointKeys) {
        List<List<byte[]>> keysByShard = pointKeys == null ? null : keysByShard(shards, pointKeys);
        List<RedisScanSplit> splits = new ArrayList<>();
        for (int i = 0; i < shards.size(); i++) {
            RedisShard shard = shards.get(i);
            String id =
                    shard.isClusterShard()
                            ? "shard-" + shard.firstSlot()
                            : "node-" + connectionConfig.getNodes().get(0);
            if (keysByShard == null) {
                splits.add(
                        RedisScanSplit.initial(
                                id, shard.firstSlot(), shard.node().toString(), keyPattern));
            } else if (!keysByShard.get(i).isEmpty()) {
                splits.add(
                        new RedisScanSplit(
                                id,
                                shard.firstSlot(),
                                shard.node().toString(),
                                keyPattern,
                                RedisScanSplit.INITIAL_CURSOR,
                                List.of(),
                                keysByShard.get(i)));
            }
        }
        return splits;
    }

    /**
     * The point-read keys per shard (same order as {@code shards}): a key goes to the shard with
     * the greatest first slot not above the key's slot, which is the shard serving it when every
     * shard serves one range of slots. Otherwise some reads are redirected (MOVED), which the
     * reader follows.
     */
    private static List<List<byte[]>> keysByShard(List<RedisShard> shards, List<byte[]> pointKeys) {
        List<List<byte[]>> byShard = new ArrayList<>();
        for (int i = 0; i < shards.size(); i++) {
            byShard.add(new ArrayList<>());
        }
        for (byte[] key : pointKeys) {
            int slot = SlotHash.getSlot(key);
            int chosen = 0;
            for (int i = 0; i < shards.size(); i++) {
                int first = shards.get(i).firstSlot();
                if (first <= slot && first >= shards.get(chosen).firstSlot()) {
                    chosen = i;
                }
            }
            byShard.get(chosen).add(key);
        }
        return byShard;
    }

    @Override
    public void handleSplitRequest(int subtaskId, @Nullable String requesterHostname) {
        // splits are pushed on registration
    }

    @Override
    public void addSplitsBack(List<RedisScanSplit> splits, int subtaskId) {
        unassigned.addAll(splits);
        toldNoMoreSplits.remove(subtaskId);
        assigned.merge(subtaskId, -splits.size(), Integer::sum);
        if (context.registeredReaders().containsKey(subtaskId)) {
            assignPending();
        }
    }

    @Override
    public void addReader(int subtaskId) {
        if (discoveryError != null) {
            throw discoveryError;
        }
        toldNoMoreSplits.remove(subtaskId);
        assignPending();
    }

    /**
     * Assigns the unassigned splits once every reader has registered, each to the reader with the
     * fewest splits so far, then tells every reader that no more splits come.
     */
    private void assignPending() {
        if (!splitsDiscovered
                || context.registeredReaders().size() < context.currentParallelism()) {
            return;
        }
        Map<Integer, List<RedisScanSplit>> assignment = new HashMap<>();
        for (RedisScanSplit split : unassigned) {
            int reader =
                    context.registeredReaders().keySet().stream()
                            .min(Comparator.comparingInt(this::load).thenComparingInt(r -> r))
                            .orElseThrow();
            assignment.computeIfAbsent(reader, k -> new ArrayList<>()).add(split);
            assigned.merge(reader, 1, Integer::sum);
        }
        unassigned.clear();
        if (!assignment.isEmpty()) {
            context.assignSplits(new SplitsAssignment<>(assignment));
        }
        for (int reader : context.registeredReaders().keySet()) {
            if (toldNoMoreSplits.add(reader)) {
                context.signalNoMoreSplits(reader);
            }
        }
    }

    private final Map<Integer, Integer> assigned = new HashMap<>();

    private int load(int reader) {
        return assigned.getOrDefault(reader, 0);
    }

    @Override
    public RedisEnumeratorState snapshotState(long checkpointId) {
        return new RedisEnumeratorState(unassigned, splitsDiscovered);
    }

    @Override
    public void close() {}
}
