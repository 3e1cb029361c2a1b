package io.github.flinkredis.connector.client;

import io.github.flinkredis.connector.config.RedisConnectionConfig;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import org.apache.flink.annotation.Internal;

/**
 * One connection to one Redis node with its client; closing it closes both and releases the shared
 * client resources. Not thread-safe for pipelining: one user thread at a time.
 */
@Internal
public final class RedisNodeConnection implements AutoCloseable {

    private final RedisClient client;
    private final StatefulRedisConnection<byte[], byte[]> connection;
    private final RedisConnectionConfig config;
    private boolean closed;

    RedisNodeConnection(
            RedisClient client,
            StatefulRedisConnection<byte[], byte[]> connection,
            RedisConnectionConfig config) {
        this.client = client;
        this.connection = connection;
        this.config = config;
    }

    public RedisCommands<byte[], byte[]> sync() {
        return connection.sync();
    }

    public RedisAsyncCommands<byte[], byte[]> async() {
        return connection.async();
    }

    /** Buffers commands until {@link #flushCommands()} (false), or sends each at once (true). */
    public void setAutoFlushCommands(boolean autoFlush) {
        connection.setAutoFlushCommands(autoFlush);
    }

    /** Sends all buffered commands in one write. */
    public void flushCommands() {
        connection.flushCommands();
    }

    /**
     * Whether the connection is up. It does not reconnect by itself: after a failure it stays
     * closed, and its user opens a new one.
     */
    public boolean isOpen() {
        return connection.isOpen();
    }

    public RedisConnectionConfig config() {
        return config;
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            SharedClientResources.close(connection, client);
        }
    }
}
