package io.github.flinkredis.connector.client;

import io.github.flinkredis.connector.config.RedisEndpoint;
import io.lettuce.core.RedisException;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisAdvancedClusterAsyncCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.annotation.Internal;

/**
 * A connection to a whole Redis Cluster: its topology (refreshed periodically and on MOVED/ASK
 * redirects) and commands routed by key slot.
 */
@Internal
public final class RedisClusterAccess implements AutoCloseable {

    private final RedisClusterClient client;
    private final StatefulRedisClusterConnection<byte[], byte[]> connection;
    private boolean closed;

    RedisClusterAccess(
            RedisClusterClient client, StatefulRedisClusterConnection<byte[], byte[]> connection) {
        this.client = client;
        this.connection = connection;
    }

    /** The cluster's shards as the client sees them now. */
    public List<RedisShard> shards() {
        return RedisClientFactory.shards(client.getPartitions());
    }

    /** The primary serving {@code slot} now, or null if no node serves it. */
    public RedisEndpoint primaryOf(int slot) {
        RedisClusterNode node = client.getPartitions().getMasterBySlot(slot);
        return node == null ? null : endpointOf(node);
    }

    /**
     * The primary serving {@code slot}, read again from the cluster if the topology the client has
     * shows none.
     *
     * @param cluster the cluster's configured endpoint, for the message
     * @throws IllegalStateException if no node serves the slot even then
     */
    public RedisEndpoint primaryServing(int slot, String cluster) {
        RedisEndpoint primary = primaryOf(slot);
        if (primary == null) {
            refreshTopology();
            primary = primaryOf(slot);
        }
        if (primary == null) {
            throw new IllegalStateException(
                    "No node of the Redis Cluster at " + cluster + " serves slot " + slot);
        }
        return primary;
    }

    /**
     * The replicas of the primary serving {@code slot} now that the topology shows as healthy (not
     * failing, not in handshake, with an address, connected to the cluster bus), sorted by address.
     */
    public List<RedisEndpoint> replicasOf(int slot) {
        RedisClusterNode primary = client.getPartitions().getMasterBySlot(slot);
        List<RedisEndpoint> replicas = new ArrayList<>();
        if (primary == null) {
            return replicas;
        }
        for (RedisClusterNode node : client.getPartitions()) {
            if (node.is(RedisClusterNode.NodeFlag.REPLICA)
                    && primary.getNodeId().equals(node.getSlaveOf())
                    && node.isConnected()
                    && !node.is(RedisClusterNode.NodeFlag.FAIL)
                    && !node.is(RedisClusterNode.NodeFlag.EVENTUAL_FAIL)
                    && !node.is(RedisClusterNode.NodeFlag.HANDSHAKE)
                    && !node.is(RedisClusterNode.NodeFlag.NOADDR)) {
                replicas.add(endpointOf(node));
            }
        }
        replicas.sort(Comparator.comparing(RedisEndpoint::toString));
        return replicas;
    }

    /** The address of a node of the topology. */
    static RedisEndpoint endpointOf(RedisClusterNode node) {
        return new RedisEndpoint(node.getUri().getHost(), node.getUri().getPort());
    }

    /** Re-reads the topology from the cluster now. */
    public void refreshTopology() {
        client.refreshPartitions();
    }

    /** Commands routed to the node serving each key's slot (redirects followed). */
    public RedisAdvancedClusterAsyncCommands<byte[], byte[]> async() {
        return connection.async();
    }

    /**
     * Opens the connection to every primary of the topology now, waiting up to {@code timeout}.
     *
     * <p>Lettuce opens a node's connection on the first command routed to it, and commands issued
     * while it is opening are written when it is open in no defined order: a writer that needs the
     * commands of one key to arrive in order calls this first.
     *
     * @throws io.lettuce.core.RedisException if a primary cannot be reached in time
     */
    public void connectPrimaries(Duration timeout) {
        List<CompletableFuture<?>> futures = new ArrayList<>();
        for (RedisClusterNode node : client.getPartitions()) {
            if (node.is(RedisClusterNode.NodeFlag.UPSTREAM) && node.getUri() != null) {
                futures.add(
                        connection
                                .getConnectionAsync(
                                        node.getUri().getHost(), node.getUri().getPort())
                                .toCompletableFuture());
            }
        }
        try {
            CompletableFuture.allOf(futures.toArray(new CompletableFuture[0]))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RedisException("Interrupted while connecting to the cluster's primaries", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new RedisException(
                    "Cannot connect to every primary of the cluster within " + timeout,
                    e instanceof ExecutionException ? e.getCause() : e);
        }
    }

    /** Whether commands are sent at once (the default) or only on {@link #flushCommands()}. */
    public void setAutoFlushCommands(boolean autoFlush) {
        connection.setAutoFlushCommands(autoFlush);
    }

    /** Sends the commands issued since the last flush, to every node. */
    public void flushCommands() {
        connection.flushCommands();
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            SharedClientResources.close(connection, client);
        }
    }
}
