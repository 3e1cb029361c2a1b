package io.github.flinkredis.connector.source.reader;

import io.github.flinkredis.connector.client.RedisPipeline;
import io.github.flinkredis.connector.client.RedisRetryPolicy;
import io.github.flinkredis.connector.config.RedisEndpoint;
import io.github.flinkredis.connector.source.reader.RedisNodeReplies.NodeDemotedException;
import io.github.flinkredis.connector.source.reader.RedisNodeReplies.NodeUnavailableException;
import io.github.flinkredis.connector.source.reader.RedisNodeReplies.ReplicaChangedException;
import java.io.IOException;
import javax.annotation.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recovery of a {@link RedisKeySplitReader} from a node that cannot be reached or stops being what
 * the scan read from: after a failover, a reconnect, a demoted primary or a changed replica, the
 * split's scan goes on on the same node with the same cursor, or starts again on the node serving
 * the shard now. Attempts go on, with the pauses of the pipelines' {@link RedisRetryPolicy} (50 ms
 * doubling up to 1 s), until the node has been unavailable for {@code command.timeout} ({@link
 * RedisRetryPolicy#within}).
 */
final class RedisScanRecovery {

    private static final Logger LOG = LoggerFactory.getLogger(RedisKeySplitReader.class);

    private final RedisShardConnections connections;
    private final RedisScanWalk walk;
    private final RedisRetryPolicy retryPolicy;
    private final long timeoutMillis;

    /** Consecutive fetches that failed because a node was unreachable. */
    private int unavailableRetries;

    /** When the first of these failures happened ({@link System#nanoTime()}). */
    private long unavailableSince;

    /** The message of the first of these failures. */
    private String firstUnavailability;

    /** Why the last attempt to reach the node again failed, or null. */
    private String lastReconnectFailure;

    RedisScanRecovery(RedisShardConnections connections, RedisScanWalk walk, long timeoutMillis) {
        this.connections = connections;
        this.walk = walk;
        this.retryPolicy = connections.retryPolicy();
        this.timeoutMillis = timeoutMillis;
    }

    /** A fetch succeeded: the next failure is the first again. */
    void succeeded() {
        unavailableRetries = 0;
        lastReconnectFailure = null;
    }

    /** Why the last attempt to reach the node again failed, or null. */
    @Nullable
    String lastReconnectFailure() {
        return lastReconnectFailure;
    }

    /**
     * A fetch failed with {@code e}: fails the job if the node has been unavailable for longer than
     * {@code command.timeout}; otherwise recovers (see {@link #recover}) or pauses before the next
     * attempt.
     *
     * @param current the split being read, or null if the failure came before its first reply
     * @return the split's reading position from now on (null if {@code current} was)
     */
    @Nullable
    RedisScanProgress onUnavailable(@Nullable RedisScanProgress current, NodeUnavailableException e)
            throws IOException {
        if (unavailableRetries++ == 0) {
            unavailableSince = System.nanoTime();
            firstUnavailability = e.getMessage();
        }
        if (!retryPolicy.allows(unavailableRetries, unavailableSince)) {
            throw new NodeUnavailableException(
                    String.format(
                            "%s. Redis could not be read again within %d ms (option"
                                    + " 'command.timeout'); the last attempt failed with: %s",
                            firstUnavailability, timeoutMillis, e.getMessage()));
        }
        if (current == null) {
            // the connection broke before the split's first command was answered: the split
            // is pending again (see start), and the next fetch starts it on a new connection
            LOG.warn("Could not start reading a split yet, will retry: {}", e.getMessage());
            pause();
            return null;
        }
        try {
            return recover(current, e);
        } catch (NodeUnavailableException again) {
            lastReconnectFailure = again.getMessage();
            LOG.warn("Could not recover yet, will retry: {}", again.getMessage());
            pause();
            return current;
        }
    }

    /** The policy's pause after {@code unavailableRetries} consecutive failures. */
    private void pause() throws IOException {
        try {
            retryPolicy.pause(unavailableRetries);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while waiting to reach Redis again", e);
        }
    }

    /**
     * After a connection to the split's node broke (a failover closes the clients of a demoted
     * primary): in a cluster, reconnects to the same node and goes on with the same cursor if the
     * node is still there (it still holds the shard's data and answers SCAN as a replica; per-key
     * reads are then redirected through the cluster connection). Otherwise, or when the Sentinels
     * now name another primary, starts the split's scan again on the node that serves the shard
     * now, since a SCAN cursor means nothing to another node. A scanned replica that changed
     * (another primary, its link went down or up) gets its scan started again, on the replica
     * chosen now, which may be the same.
     *
     * @return {@code p} going on, or the split's scan started again
     */
    private RedisScanProgress recover(RedisScanProgress p, NodeUnavailableException cause)
            throws IOException {
        LOG.warn("Lost the connection to Redis node {}: {}", p.node, cause.getMessage());
        p.rewind();
        connections.forget(p.split, p.node);
        p.connection = null; // until a connection is found again
        boolean demoted = cause instanceof NodeDemotedException;
        boolean replicaChanged = cause instanceof ReplicaChangedException;
        RedisEndpoint node;
        RedisPipeline connection;
        try {
            if (demoted) {
                connections.refreshTopology(p.split);
            }
            node = p.split.firstSlot() >= 0 && !demoted ? p.node : connections.currentNode(p.split);
            if (demoted && !replicaChanged && node.equals(p.node)) {
                throw cause; // the topology does not show the new primary yet
            }
            connection = connections.connection(p.split, node);
        } catch (RuntimeException unreachable) {
            if (p.split.firstSlot() < 0) {
                throw new NodeUnavailableException(unreachable.getMessage());
            }
            LOG.warn("Redis node {} is unreachable: {}", p.node, unreachable.getMessage());
            connections.refreshTopology(p.split);
            node = connections.currentNode(p.split);
            if (node.equals(p.node)) {
                throw cause;
            }
            connection = connections.connection(p.split, node);
        }
        if (!replicaChanged && node.equals(p.node) && walk.runId(connection).equals(p.runId)) {
            p.connection = connection;
            return p;
        }
        walk.noteScanRestart(p.split, node, p.node.toString());
        return walk.scanOn(p.split, node, connection, false);
    }
}
