package io.github.flinkredis.connector.source.reader;

import io.github.flinkredis.connector.client.RedisClientFactory;
import io.github.flinkredis.connector.client.RedisClusterAccess;
import io.github.flinkredis.connector.client.RedisNodeConnection;
import io.github.flinkredis.connector.config.RedisConnectionConfig;
import io.github.flinkredis.connector.config.RedisEndpoint;
import io.github.flinkredis.connector.source.split.RedisScanSplit;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.annotation.Internal;

/**
 * The connections of one split reader: a pipelining connection per node it scans (the standalone
 * server, the primary a Sentinel names, or the primary of each cluster shard), and, in a cluster,
 * one cluster connection for the topology and for commands on keys that moved.
 */
@Internal
final class RedisShardConnections implements AutoCloseable {

    private final RedisConnectionConfig config;
    private final Map<RedisEndpoint, RedisNodeConnection> nodes = new HashMap<>();
    private RedisNodeConnection single;
    private RedisEndpoint singleNode;
    private RedisClusterAccess cluster;

    RedisShardConnections(RedisConnectionConfig config) {
        this.config = config;
    }

    /** The node serving the split's shard now. */
    RedisEndpoint currentNode(RedisScanSplit split) {
        if (split.firstSlot() >= 0) {
            RedisEndpoint primary = cluster().primaryOf(split.firstSlot());
            if (primary == null) {
                cluster().refreshTopology();
                primary = cluster().primaryOf(split.firstSlot());
            }
            if (primary == null) {
                throw new IllegalStateException(
                        "No node of the Redis Cluster at "
                                + config.endpoint()
                                + " serves slot "
                                + split.firstSlot());
            }
            return primary;
        }
        single();
        return singleNode;
    }

    /** A connection to {@code node} with auto-flush off, for pipelined reads. */
    RedisNodeConnection connection(RedisScanSplit split, RedisEndpoint node) {
        if (split.firstSlot() < 0) {
            return single();
        }
        return nodes.computeIfAbsent(
                node,
                n -> {
                    RedisNodeConnection c = RedisClientFactory.connectNode(config, n);
                    c.setAutoFlushCommands(false);
                    return c;
                });
    }

    private RedisNodeConnection single() {
        if (single == null) {
            singleNode =
                    config.isSentinel()
                            ? RedisClientFactory.sentinelPrimary(config)
                            : config.getNodes().get(0);
            single = RedisClientFactory.connect(config);
            single.setAutoFlushCommands(false);
        }
        return single;
    }

    /** The cluster connection, which routes each command by its key. */
    RedisClusterAccess cluster() {
        if (cluster == null) {
            cluster = RedisClientFactory.connectCluster(config);
        }
        return cluster;
    }

    /** Closes the connection the split uses to {@code node}, e.g. after it broke. */
    void forget(RedisScanSplit split, RedisEndpoint node) {
        if (split.firstSlot() < 0) {
            if (single != null) {
                single.close();
                single = null;
            }
            return;
        }
        RedisNodeConnection c = nodes.remove(node);
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
        for (RedisNodeConnection c : nodes.values()) {
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
    }
}
