package io.github.flinkredis.connector.source.reader;

import io.github.flinkredis.connector.client.RedisClientFactory;
import io.github.flinkredis.connector.client.RedisConnectionException;
import io.github.flinkredis.connector.client.RedisPipeline;
import io.github.flinkredis.connector.client.RedisRetryPolicy;
import io.github.flinkredis.connector.client.SharedClientResources;
import io.github.flinkredis.connector.config.ReadFrom;
import io.github.flinkredis.connector.config.RedisConnectionConfig;
import io.github.flinkredis.connector.config.RedisEndpoint;
import io.github.flinkredis.connector.source.split.RedisScanSplit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.flink.annotation.Internal;

/**
 * The connections of one split reader: a {@link RedisPipeline} per node it scans (the standalone
 * server, the primary a Sentinel names, the primary of each cluster shard, or a replica of these
 * with option {@code read-from}), all with the retry schedule {@link RedisRetryPolicy#within}
 * {@code command.timeout}, and, in a cluster, one pipeline on the whole cluster for the topology
 * and for commands on keys that moved.
 */
@Internal
final class RedisShardConnections implements AutoCloseable {

    private static final String OWNER = "scan";

    private final RedisConnectionConfig config;
    private final RedisRetryPolicy retryPolicy;
    private final Map<RedisEndpoint, RedisPipeline> nodes = new HashMap<>();
    private RedisPipeline single;
    private RedisEndpoint singleNode;
    private RedisPipeline cluster;

    /**
     * Holds a reference to the {@link SharedClientResources} until {@link #close()}, so that
     * closing a broken connection (the last one, maybe) never shuts down the event loops and timers
     * that the next connection needs.
     */
    RedisShardConnections(RedisConnectionConfig config) {
        this.config = config;
        this.retryPolicy =
                RedisRetryPolicy.within(config.getCommandTimeout(), "option 'command.timeout'");
        SharedClientResources.acquire();
    }

    /**
     * The retry schedule of a node that cannot be reached: 50 ms doubling up to 1 s, until it has
     * been unavailable for {@code command.timeout}.
     */
    RedisRetryPolicy retryPolicy() {
        return retryPolicy;
    }

    /**
     * The node the split's shard is read from now: its primary (the standalone server, the primary
     * the Sentinels name, or the cluster primary serving the split's first slot) or, with option
     * {@code read-from}, one of its replicas whose link is up (the first by address).
     *
     * @throws RedisConnectionException if {@code read-from} is {@code replica} and the shard has no
     *     such replica
     */
    RedisEndpoint currentNode(RedisScanSplit split) {
        ReadFrom readFrom = config.getReadFrom();
        if (split.firstSlot() >= 0) {
            RedisEndpoint primary = cluster().primaryServing(split.firstSlot());
            if (readFrom == ReadFrom.PRIMARY) {
                return primary;
            }
            return choose(cluster().replicasOf(split.firstSlot()), () -> primary, split);
        }
        if (readFrom == ReadFrom.PRIMARY) {
            single();
            return singleNode;
        }
        return choose(
                RedisClientFactory.replicas(config),
                () -> RedisClientFactory.standalonePrimary(config),
                split);
    }

    /**
     * The first of {@code replicas}, else (for {@code replica-preferred}) the primary, which is
     * looked up only then (for Sentinels, one more question to them).
     */
    private RedisEndpoint choose(
            List<RedisEndpoint> replicas, Supplier<RedisEndpoint> primaryOf, RedisScanSplit split) {
        if (!replicas.isEmpty()) {
            return replicas.get(0);
        }
        RedisEndpoint primary = primaryOf.get();
        if (config.getReadFrom() == ReadFrom.REPLICA) {
            throw new RedisConnectionException(
                    String.format(
                            "Option 'read-from' is 'replica', but the primary %s of %s (split %s)"
                                    + " has no replica whose replication link is up.",
                            primary, config.endpoint(), split.splitId()));
        }
        return primary;
    }

    /**
     * A pipeline on {@code node} ({@link RedisPipeline#onNode}); a cluster replica's sends READONLY
     * first, so that it serves reads of its primary's slots. A cached pipeline whose connection has
     * closed since (the server or the network dropped it) is replaced.
     */
    RedisPipeline connection(RedisScanSplit split, RedisEndpoint node) {
        if (usesSingle(split)) {
            if (single != null && !single.isOpen()) {
                forget(split, node); // closed since its last use: open another
            }
            return single();
        }
        RedisPipeline cached = nodes.get(node);
        if (cached != null && !cached.isOpen()) {
            forget(split, node);
            cached = null;
        }
        if (cached == null) {
            boolean readOnly = split.firstSlot() >= 0 && config.getReadFrom() != ReadFrom.PRIMARY;
            cached = RedisPipeline.onNode(config, node, readOnly, retryPolicy, OWNER);
            nodes.put(node, cached);
        }
        return cached;
    }

    /** Whether the split reads through the one connection to the configured node or primary. */
    private boolean usesSingle(RedisScanSplit split) {
        return split.firstSlot() < 0 && config.getReadFrom() == ReadFrom.PRIMARY;
    }

    private RedisPipeline single() {
        if (single == null) {
            singleNode = RedisClientFactory.standalonePrimary(config);
            single = RedisPipeline.onPrimary(config, singleNode, retryPolicy, OWNER);
        }
        return single;
    }

    /**
     * The cluster connection ({@link RedisPipeline#immediate}: each command sent at once), which
     * routes each command by its key and knows the topology.
     */
    RedisPipeline cluster() {
        if (cluster == null) {
            cluster = RedisPipeline.immediate(config, retryPolicy, OWNER);
        }
        return cluster;
    }

    /** Closes the connection the split uses to {@code node}, e.g. after it broke. */
    void forget(RedisScanSplit split, RedisEndpoint node) {
        if (usesSingle(split)) {
            if (single != null) {
                single.close();
                single = null;
            }
            return;
        }
        RedisPipeline c = nodes.remove(node);
        if (c != null) {
            c.close();
        }
    }

    /** Re-reads where the split's shard is served: the cluster topology, or the Sentinels. */
    void refreshTopology(RedisScanSplit split) {
        if (split.firstSlot() >= 0) {
            cluster().refreshTopology();
        } else if (single != null) {
            single.close();
            single = null;
        }
    }

    @Override
    public void close() {
        for (RedisPipeline c : nodes.values()) {
            c.close();
        }
        nodes.clear();
        if (single != null) {
            single.close();
            single = null;
        }
        if (cluster != null) {
            cluster.close();
            cluster = null;
        }
        if (!released) {
            released = true;
            SharedClientResources.release();
        }
    }

    private boolean released;
}
