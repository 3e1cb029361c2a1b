package io.github.flinkredis.connector.source.stream;

import io.github.flinkredis.connector.client.RedisClientFactory;
import io.github.flinkredis.connector.client.RedisClusterAccess;
import io.github.flinkredis.connector.client.RedisNodeConnection;
import io.github.flinkredis.connector.config.RedisConnectionConfig;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import javax.annotation.Nullable;

/**
 * The connections of a {@link RedisStreamSplitReader} besides those of its groups of streams: the
 * cluster connection (topology, commands routed by key) and, outside a cluster, a second connection
 * to the server for acknowledgements and checks; and a group's connection, to the server or to the
 * cluster primary serving its slot.
 */
final class RedisStreamConnections implements AutoCloseable {

    private final RedisConnectionConfig config;
    private final boolean cluster;
    @Nullable private RedisClusterAccess topology;
    @Nullable private RedisNodeConnection controlConnection;

    RedisStreamConnections(RedisConnectionConfig config, boolean cluster) {
        this.config = config;
        this.cluster = cluster;
    }

    /** Whether the server is a cluster. */
    boolean cluster() {
        return cluster;
    }

    /**
     * The connection acknowledgements and checks go on: not a group's, where they would wait behind
     * its blocking XREAD, but the cluster connection (routed by key) or a second connection to the
     * server.
     */
    RedisClusterAsyncCommands<byte[], byte[]> controlCommands() {
        if (cluster) {
            return topology().async();
        }
        if (controlConnection == null) {
            controlConnection = RedisClientFactory.connect(config);
        }
        return controlConnection.async();
    }

    /** A connection to the standalone server, or to the cluster primary serving {@code slot}. */
    RedisNodeConnection connect(int slot) {
        if (slot < 0) {
            return RedisClientFactory.connect(config);
        }
        return RedisClientFactory.connectNode(
                config, topology().primaryServing(slot, config.endpoint()));
    }

    /** In a cluster whose connection is open: reads the topology again (after a failed XREAD). */
    void refreshTopology() {
        if (cluster && topology != null) {
            topology.refreshTopology();
        }
    }

    /** The cluster connection: the topology, and commands routed by key. */
    private RedisClusterAccess topology() {
        if (topology == null) {
            topology = RedisClientFactory.connectCluster(config);
        }
        return topology;
    }

    @Override
    public void close() {
        if (topology != null) {
            topology.close();
            topology = null;
        }
        if (controlConnection != null) {
            controlConnection.close();
            controlConnection = null;
        }
    }
}
