package io.github.flinkredis.connector.client;

import io.github.flinkredis.connector.config.RedisConnectionConfig;
import io.github.flinkredis.connector.config.RedisEndpoint;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.annotation.Nullable;
import org.apache.flink.annotation.Internal;

/**
 * The one way the connector talks to Redis: a connection to a node, or to a whole cluster (commands
 * routed by key slot, MOVED/ASK followed by Lettuce), that its owner writes commands to in
 * pipelined batches and whose replies it awaits in order within {@code command.timeout}, with one
 * failure classification ({@link RedisFailureKind}), one retry schedule ({@link RedisRetryPolicy})
 * and reconnection. Built on it: {@link RedisPipelinedBatches} (batches in flight, resent in order
 * after a transient failure: the sink) and {@link RedisRetriedRead} (one asynchronous read retried
 * on its own: lookups).
 *
 * <p>Modes: {@link #batched} turns Lettuce's auto-flush off, so the commands issued on {@link
 * #commands()} go out in one write at {@link #flush()} (in a cluster it first opens the connection
 * to every primary, since commands issued while a node connection opens may be reordered); {@link
 * #immediate} sends each command at once, for many independent callers on several threads (lookups:
 * Flink's async capacity bounds what is in flight).
 *
 * <p>How a scan uses it: it opens a pipeline on each node it scans ({@link #onNode}, or {@link
 * #onPrimary} for the standalone server or the Sentinels' primary), issues a page's {@code SCAN}
 * and per-key reads on {@link #commands()}, {@link #flush()}es, and calls {@link #awaitAll(List)}
 * (the last reply first: one connection answers in order); each reply's failure it classifies with
 * {@link RedisFailureKind#of}: {@code REDIRECT} goes to the cluster connection, {@code
 * COMMAND_ERROR} is the key's (WRONGTYPE: skipped), {@code TRANSIENT} makes it open the node's
 * pipeline again after {@link RedisRetryPolicy#pause} while {@link RedisRetryPolicy#within} the
 * {@code command.timeout} allows. What a reconnection means for the scan stays with the scan:
 * whether the node is still the one its {@code SCAN} cursor belongs to (run id, role), or the split
 * starts again on the node serving the shard now; this class knows nothing of cursors or splits.
 *
 * <p>Threads: {@code batched} pipelines belong to one thread; an {@code immediate} one may be used
 * from any thread.
 */
@Internal
public final class RedisPipeline implements AutoCloseable {

    /**
     * While waiting for replies, flush this often: a cluster node connection that reconnected holds
     * its commands until a flush.
     */
    private static final long FLUSH_WHILE_WAITING_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private final RedisConnectionConfig config;
    private final RedisRetryPolicy retryPolicy;
    private final boolean autoFlush;
    private final long timeoutMillis;

    /** Who uses the pipeline, for messages (e.g. {@code lookup}). */
    private final String owner;

    /** The one node of a pipeline {@link #onNode} or {@link #onPrimary}, else null. */
    @Nullable private final RedisEndpoint node;

    /**
     * For a pipeline on one node: whether it connects to the address of {@link #node} (true) or to
     * the configured endpoint, through the Sentinels where they are configured (false).
     */
    private final boolean direct;

    /** Whether a node pipeline sends {@code READONLY} first (a cluster replica serving reads). */
    private final boolean readOnly;

    /** Whether the deployment is a Redis Cluster; known after the first connect. */
    @Nullable private Boolean isCluster;

    private volatile Link link;
    private volatile boolean closed;

    private RedisPipeline(
            RedisConnectionConfig config,
            RedisRetryPolicy retryPolicy,
            boolean autoFlush,
            String owner,
            @Nullable RedisEndpoint node,
            boolean direct,
            boolean readOnly) {
        this.config = config;
        this.owner = owner;
        this.node = node;
        this.direct = direct;
        this.readOnly = readOnly;
        this.retryPolicy = retryPolicy;
        this.autoFlush = autoFlush;
        this.timeoutMillis = config.getCommandTimeout().toMillis();
    }

    /**
     * A pipeline whose commands go out at {@link #flush()}; connects now.
     *
     * @param owner who uses it, for messages ({@code "The <owner>'s connection to Redis is
     *     closed"})
     * @throws RuntimeException if Redis cannot be reached (e.g. {@link RedisConnectionException})
     */
    public static RedisPipeline batched(
            RedisConnectionConfig config, RedisRetryPolicy retryPolicy, String owner) {
        RedisPipeline pipeline =
                new RedisPipeline(config, retryPolicy, false, owner, null, false, false);
        pipeline.link = pipeline.connect();
        return pipeline;
    }

    /**
     * {@link #batched}, for input and output formats (whose methods throw IOException): a failure
     * to connect is an IOException naming the endpoint.
     *
     * @throws IOException if Redis cannot be reached or refuses the credentials
     */
    public static RedisPipeline batchedOrFail(
            RedisConnectionConfig config, RedisRetryPolicy retryPolicy, String owner)
            throws IOException {
        try {
            return batched(config, retryPolicy, owner);
        } catch (RuntimeException e) {
            throw new IOException("Cannot connect to Redis at " + config.endpoint() + ": " + e, e);
        }
    }

    /**
     * A pipeline sending each command at once; connects at the first {@link #commands()}.
     *
     * @param owner who uses it, for messages (e.g. {@code lookup})
     */
    public static RedisPipeline immediate(
            RedisConnectionConfig config, RedisRetryPolicy retryPolicy, String owner) {
        return new RedisPipeline(config, retryPolicy, true, owner, null, false, false);
    }

    /**
     * A pipeline whose commands go out at {@link #flush()}, on one given node (a cluster node, or a
     * replica chosen with option {@code read-from}); connects now ({@link
     * RedisClientFactory#connectNode}), and a new connection of it does not reconnect by itself
     * ({@link #isOpen()}). With {@code readOnly} (a cluster replica), it sends {@code READONLY}
     * first, so that the replica serves reads of its primary's slots.
     *
     * @throws RuntimeException if the node cannot be reached (e.g. {@link
     *     RedisConnectionException})
     */
    public static RedisPipeline onNode(
            RedisConnectionConfig config,
            RedisEndpoint node,
            boolean readOnly,
            RedisRetryPolicy retryPolicy,
            String owner) {
        RedisPipeline pipeline =
                new RedisPipeline(config, retryPolicy, false, owner, node, true, readOnly);
        pipeline.link = pipeline.connect();
        return pipeline;
    }

    /**
     * A pipeline whose commands go out at {@link #flush()}, on the standalone server or the primary
     * the Sentinels name ({@link RedisClientFactory#connect}), which is {@code node} (for
     * messages); connects now.
     *
     * @throws RuntimeException if Redis cannot be reached (e.g. {@link RedisConnectionException})
     */
    public static RedisPipeline onPrimary(
            RedisConnectionConfig config,
            RedisEndpoint node,
            RedisRetryPolicy retryPolicy,
            String owner) {
        RedisPipeline pipeline =
                new RedisPipeline(config, retryPolicy, false, owner, node, false, false);
        pipeline.link = pipeline.connect();
        return pipeline;
    }

    /** The one node of a pipeline {@link #onNode} or {@link #onPrimary}, else null. */
    @Nullable
    public RedisEndpoint node() {
        return node;
    }

    /** The retry schedule of this pipeline's users. */
    public RedisRetryPolicy retryPolicy() {
        return retryPolicy;
    }

    /** {@code command.timeout} in milliseconds: how long {@link #awaitAll} waits. */
    public long timeoutMillis() {
        return timeoutMillis;
    }

    /** Where Redis is, for messages (never a password). */
    public String endpoint() {
        return config.endpoint();
    }

    /**
     * The commands of the connection (connecting first where it is not open yet).
     *
     * @throws IllegalStateException after {@link #close()}
     * @throws RuntimeException if Redis cannot be reached now (the last reconnection failed)
     */
    public RedisClusterAsyncCommands<byte[], byte[]> commands() {
        Link l = link;
        if (l == null) {
            l = open();
        }
        if (l.failure != null) {
            throw l.failure;
        }
        return l.commands;
    }

    /**
     * The primary serving {@code slot} now ({@code CLUSTER SHARDS}/{@code CLUSTER NODES} as the
     * client last read them), read again from the cluster if the topology shows none.
     *
     * @throws IllegalStateException if this pipeline is not on a whole cluster, or no node serves
     *     the slot even after reading the topology again
     */
    public RedisEndpoint primaryServing(int slot) {
        return topology().primaryServing(slot, config.endpoint());
    }

    /**
     * The replicas of the primary serving {@code slot} that the topology shows as healthy, sorted
     * by address (see {@link RedisClusterAccess#replicasOf}).
     *
     * @throws IllegalStateException if this pipeline is not on a whole cluster
     */
    public List<RedisEndpoint> replicasOf(int slot) {
        return topology().replicasOf(slot);
    }

    /**
     * Reads the cluster's topology again now (after a failed command on a node connection: a
     * failover or a moved slot); does nothing on a pipeline that is not on a whole cluster or not
     * connected.
     */
    public void refreshTopology() {
        Link l = link;
        if (l != null && l.cluster != null) {
            l.cluster.refreshTopology();
        }
    }

    private RedisClusterAccess topology() {
        commands();
        RedisClusterAccess cluster = link.cluster;
        if (cluster == null) {
            throw new IllegalStateException(
                    "The "
                            + owner
                            + "'s connection to "
                            + config.endpoint()
                            + " is not to a Redis"
                            + " Cluster");
        }
        return cluster;
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Whether the connection is up: false after {@link #close()}, a failed reconnection, or a node
     * connection dropped by the server or the network (which does not reconnect by itself).
     */
    public boolean isOpen() {
        Link l = link;
        return !closed && l != null && l.failure == null && (l.node == null || l.node.isOpen());
    }

    /** Whether the connection works: false after a failed reconnection (until the next one). */
    public boolean isConnected() {
        Link l = link;
        return l != null && l.failure == null;
    }

    /** Why the last reconnection failed, or null. */
    @Nullable
    public RuntimeException connectFailure() {
        Link l = link;
        return l == null ? null : l.failure;
    }

    /**
     * Whether replies come in the order of the commands: true on one node; false on a cluster,
     * whose nodes answer independently.
     */
    public boolean ordered() {
        Link l = link;
        return l == null || l.ordered;
    }

    /** Sends the commands issued since the last flush, in one write (per node). */
    public void flush() {
        Link l = link;
        if (l != null && l.failure == null && !autoFlush) {
            l.flush();
        }
    }

    /**
     * Waits until every future of {@code replies} is done (a reply or a failure), within {@code
     * command.timeout} for all. The last is awaited first: one connection answers in order, so once
     * it is done the others are, and waiting costs no dependent stage per command. While it waits,
     * it flushes every 200 ms (a cluster node connection that reconnected holds its commands until
     * a flush).
     *
     * @return whether every future is done; false after {@code command.timeout} (a transient
     *     failure: see {@link #timeoutMessage})
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean awaitAll(List<? extends RedisFuture<?>> replies) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        for (int i = replies.size() - 1; i >= 0; i--) {
            RedisFuture<?> f = replies.get(i);
            while (!f.isDone()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                if (!f.await(Math.min(left, FLUSH_WHILE_WAITING_NANOS), TimeUnit.NANOSECONDS)) {
                    flush();
                }
            }
        }
        return true;
    }

    /**
     * Sends what was issued ({@link #flush()}), then waits for the reply of one command within
     * {@code command.timeout}: for a question asked once (planning, a catalog), not for pipelined
     * reads.
     *
     * @param command the command, for messages (e.g. {@code FT.INFO idx})
     * @throws IOException naming the command and the node or endpoint, if the command failed, got
     *     no reply in time, or the wait was interrupted
     */
    public <T> T await(RedisFuture<T> future, String command) throws IOException {
        flush();
        String where =
                node != null ? "Redis node " + node + " (of " + endpoint() + ")" : endpoint();
        try {
            return future.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while waiting for " + command + " on " + where, e);
        } catch (ExecutionException e) {
            throw new IOException(
                    command + " failed on " + where + ": " + e.getCause().getMessage(),
                    e.getCause());
        } catch (TimeoutException e) {
            throw new IOException(
                    String.format(
                            "%s got no reply from %s within %d ms (option 'command.timeout')",
                            command, where, timeoutMillis));
        }
    }

    /**
     * A pipeline on the node of {@code shard} ({@link RedisClientFactory#discoverShards}): the
     * cluster primary of a cluster shard ({@link #onNode}), else the standalone server or the
     * Sentinels' primary ({@link #onPrimary}); connects now.
     *
     * @throws RuntimeException if the node cannot be reached
     */
    public static RedisPipeline onShard(
            RedisConnectionConfig config,
            RedisShard shard,
            RedisRetryPolicy retryPolicy,
            String owner) {
        return shard.isClusterShard()
                ? onNode(config, shard.node(), false, retryPolicy, owner)
                : onPrimary(config, shard.node(), retryPolicy, owner);
    }

    /**
     * The message of {@code count} commands unanswered within {@code command.timeout}; on one node,
     * {@code "Redis node <node> (of <endpoint>) did not answer ..."}.
     */
    public String timeoutMessage(int count) {
        if (node != null) {
            return String.format(
                    "Redis node %s (of %s) did not answer %d pipelined commands within %d ms"
                            + " (option 'command.timeout')",
                    node, config.endpoint(), count, timeoutMillis);
        }
        return String.format(
                "Redis at %s did not answer %d pipelined commands within %d ms"
                        + " (option 'command.timeout')",
                config.endpoint(), count, timeoutMillis);
    }

    /** The message of a failed reconnection. */
    public String unreachableMessage() {
        RuntimeException failure = connectFailure();
        return (node != null
                        ? "Cannot reach Redis node " + node + " (of " + endpoint() + ")"
                        : "Cannot reach Redis at " + config.endpoint())
                + ": "
                + (failure == null ? "not connected" : failure.getMessage());
    }

    /**
     * Closes the connection and opens a new one. If that fails, the pipeline is not connected
     * ({@link #isConnected()}, {@link #commands()} throws the failure) until the next call.
     *
     * @return whether the new connection is open
     */
    public synchronized boolean reconnect() {
        if (closed) {
            return false;
        }
        Link old = link;
        if (old != null) {
            old.close();
        }
        try {
            link = connect();
            return true;
        } catch (RuntimeException e) {
            link = Link.broken(e);
            return false;
        }
    }

    /**
     * Closes the connection that {@code sentOn} (from {@link #commands()}) belongs to if it is
     * down, so that the next {@link #commands()} opens a new one: a node connection does not
     * reconnect by itself (a cluster connection does). Call it off Lettuce's event loops.
     */
    public synchronized void reconnectIfDown(
            @Nullable RedisClusterAsyncCommands<byte[], byte[]> sentOn) {
        Link l = link;
        if (sentOn != null
                && l != null
                && l.commands == sentOn
                && l.node != null
                && !l.node.isOpen()) {
            l.close();
            link = null;
        }
    }

    private synchronized Link open() {
        if (closed) {
            throw new IllegalStateException("The " + owner + "'s connection to Redis is closed");
        }
        if (link == null) {
            link = connect();
        }
        return link;
    }

    private Link connect() {
        if (node != null) {
            return connectOne();
        }
        if (isCluster == null) {
            // asks the server where the configuration leaves it open: once, not per reconnect
            isCluster = RedisClientFactory.isCluster(config);
        }
        if (isCluster) {
            RedisClusterAccess cluster = RedisClientFactory.connectCluster(config);
            if (!autoFlush) {
                try {
                    // commands issued while a node connection opens may be reordered by Lettuce
                    cluster.connectPrimaries(config.getCommandTimeout());
                } catch (RuntimeException e) {
                    cluster.close();
                    throw e;
                }
                cluster.setAutoFlushCommands(false);
            }
            return new Link(cluster.async(), cluster, null, null, false);
        }
        RedisNodeConnection node = RedisClientFactory.connect(config);
        if (!autoFlush) {
            node.setAutoFlushCommands(false);
        }
        return new Link(node.async(), null, node, null, true);
    }

    /** Connects a pipeline on one node ({@link #onNode}, {@link #onPrimary}). */
    private Link connectOne() {
        RedisNodeConnection c =
                direct
                        ? RedisClientFactory.connectNode(config, node)
                        : RedisClientFactory.connect(config);
        try {
            if (readOnly) {
                c.sync().readOnly();
            }
            c.setAutoFlushCommands(false);
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
        return new Link(c.async(), null, c, null, true);
    }

    /** Closes the connection; later {@link #commands()} fail and nothing reconnects. */
    @Override
    public synchronized void close() {
        closed = true;
        Link l = link;
        link = null;
        if (l != null) {
            l.close();
        }
    }

    /** One connection (a node, or a whole cluster), or the failure to open it. */
    private static final class Link {
        final RedisClusterAsyncCommands<byte[], byte[]> commands;
        @Nullable final RedisClusterAccess cluster;
        @Nullable final RedisNodeConnection node;
        @Nullable final RuntimeException failure;
        final boolean ordered;

        Link(
                RedisClusterAsyncCommands<byte[], byte[]> commands,
                @Nullable RedisClusterAccess cluster,
                @Nullable RedisNodeConnection node,
                @Nullable RuntimeException failure,
                boolean ordered) {
            this.commands = commands;
            this.cluster = cluster;
            this.node = node;
            this.failure = failure;
            this.ordered = ordered;
        }

        static Link broken(RuntimeException failure) {
            return new Link(null, null, null, failure, true);
        }

        void flush() {
            if (cluster != null) {
                cluster.flushCommands();
            } else if (node != null) {
                node.flushCommands();
            }
        }

        void close() {
            if (cluster != null) {
                cluster.close();
            } else if (node != null) {
                node.close();
            }
        }
    }
}
