package io.github.flinkredis.connector.source.stream;

import io.github.flinkredis.connector.client.RedisClientFactory;
import io.github.flinkredis.connector.client.RedisPipeline;
import io.github.flinkredis.connector.client.RedisRetryPolicy;
import io.github.flinkredis.connector.config.RedisConnectionConfig;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.time.Duration;
import javax.annotation.Nullable;

/**
 * The connections of a {@link RedisStreamSplitReader}, all {@link RedisPipeline}s with one retry
 * schedule ({@link RedisRetryPolicy#within} the reconnect window): the control pipeline ({@link
 * RedisPipeline#immediate}: on the whole cluster, commands routed by key, and its topology; or on
 * the server) for acknowledgements and checks, and a group's pipeline, on the standalone server (or
 * the primary the Sentinels name) or on the cluster primary serving its slot, for its blocking
 * reads.
 */
final class RedisStreamConnections implements AutoCloseable {

    private static final String OWNER = "stream source";

    private final RedisConnectionConfig config;
    private final boolean cluster;
    private final RedisRetryPolicy retryPolicy;
    @Nullable private RedisPipeline control;

    RedisStreamConnections(
            RedisConnectionConfig config, boolean cluster, Duration reconnectWindow) {
        this.config = config;
        this.cluster = cluster;
        this.retryPolicy =
                RedisRetryPolicy.within(reconnectWindow, "the stream source's reconnect window");
    }

    /** Whether the server is a cluster. */
    boolean cluster() {
        return cluster;
    }

    /**
     * The schedule of a group's reconnections: 50 ms doubling up to 1 s, for as long as its reads
     * have failed for less than the reconnect window.
     */
    RedisRetryPolicy retryPolicy() {
        return retryPolicy;
    }

    /**
     * The commands acknowledgements and checks go on: not a group's connection, where they would
     * wait behind its blocking XREAD, but the control pipeline (each command sent at once).
     */
    RedisClusterAsyncCommands<byte[], byte[]> controlCommands() {
        return control().commands();
    }

    /**
     * A pipeline for a group's reads ({@link RedisPipeline#onPrimary} or {@link
     * RedisPipeline#onNode}: commands go out at {@link RedisPipeline#flush()}), connected now, to
     * the standalone server or the Sentinels' primary ({@code slot} -1), or to the cluster primary
     * serving {@code slot}.
     *
     * @throws RuntimeException if the node cannot be reached
     */
    RedisPipeline connect(int slot) {
        if (slot < 0) {
            return RedisPipeline.onPrimary(
                    config, RedisClientFactory.standalonePrimary(config), retryPolicy, OWNER);
        }
        return RedisPipeline.onNode(
                config, control().primaryServing(slot), false, retryPolicy, OWNER);
    }

    /** In a cluster whose connection is open: reads the topology again (after a failed XREAD). */
    void refreshTopology() {
        if (control != null) {
            control.refreshTopology();
        }
    }

    private RedisPipeline control() {
        if (control == null) {
            control = RedisPipeline.immediate(config, retryPolicy, OWNER);
        }
        return control;
    }

    @Override
    public void close() {
        if (control != null) {
            control.close();
            control = null;
        }
    }
}
