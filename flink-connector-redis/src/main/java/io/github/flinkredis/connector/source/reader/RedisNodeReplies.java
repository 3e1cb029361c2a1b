package io.github.flinkredis.connector.source.reader;

import io.github.flinkredis.connector.config.RedisConnectionConfig;
import io.github.flinkredis.connector.config.RedisEndpoint;
import io.github.flinkredis.connector.model.RedisText;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandInterruptedException;
import io.lettuce.core.RedisFuture;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.metrics.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replies a {@link RedisKeySplitReader} waits for: awaited within {@code command.timeout},
 * WRONGTYPE errors counted and skipped, and every other failure turned into an IOException whose
 * message names the command, key and node (a {@link NodeUnavailableException} when the connection
 * rather than the command failed).
 */
final class RedisNodeReplies {

    private static final Logger LOG = LoggerFactory.getLogger(RedisKeySplitReader.class);

    private final RedisConnectionConfig connectionConfig;
    private final long timeoutMillis;
    private final Counter wrongTypeCounter;

    RedisNodeReplies(RedisConnectionConfig connectionConfig, Counter wrongTypeCounter) {
        this.connectionConfig = connectionConfig;
        this.timeoutMillis = connectionConfig.getCommandTimeout().toMillis();
        this.wrongTypeCounter = wrongTypeCounter;
    }

    /** {@code command.timeout} in ms. */
    long timeoutMillis() {
        return timeoutMillis;
    }

    /** The address the source was configured with, for messages. */
    String endpoint() {
        return connectionConfig.endpoint();
    }

    /** Counts a key skipped because it has another type. */
    void countWrongType() {
        wrongTypeCounter.inc();
    }

    /**
     * Waits until every command has its reply (or error), within {@code command.timeout}. The
     * futures are awaited from the last: replies on one connection arrive in the order the commands
     * were sent, so once the last is done the others are too, and waiting costs no dependent stage
     * per command.
     */
    void awaitAll(List<RedisFuture<?>> futures, RedisEndpoint node) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        try {
            for (int i = futures.size() - 1; i >= 0; i--) {
                RedisFuture<?> future = futures.get(i);
                if (future.isDone()) {
                    continue;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || !future.await(left, TimeUnit.NANOSECONDS)) {
                    throw failure(
                            String.format(
                                    "Redis node %s (of %s) did not answer %d pipelined commands"
                                            + " within %d ms (option 'command.timeout')",
                                    node,
                                    connectionConfig.endpoint(),
                                    futures.size(),
                                    timeoutMillis),
                            new TimeoutException());
                }
            }
        } catch (InterruptedException | RedisCommandInterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while waiting for Redis", e);
        }
    }

    /**
     * The reply of a completed command; {@code null} for a WRONGTYPE error (counted), an
     * IOException naming the key, command and node for any other error.
     */
    <V> V result(RedisFuture<V> future, byte[] key, String command, RedisEndpoint node)
            throws IOException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while reading from Redis", e);
        } catch (ExecutionException e) {
            String message = String.valueOf(e.getCause().getMessage());
            if (message.contains("TSDB: the key does not exist")) {
                // a series deleted between SCAN and TS.RANGE: no rows, as for the other types
                return null;
            }
            // RedisJSON 2.0 says "Existing key has wrong Redis type", RedisTimeSeries "ERR
            // WRONGTYPE ..." or "the key is not a TSDB key"
            if (message.startsWith("WRONGTYPE")
                    || message.startsWith("ERR WRONGTYPE")
                    || message.contains("wrong Redis type")
                    || message.contains("not a TSDB key")) {
                wrongTypeCounter.inc();
                LOG.debug(
                        "Skipping key '{}': its type changed after SCAN ({})",
                        RedisText.show(key),
                        message);
                return null;
            }
            throw failure(
                    String.format(
                            "%s of key '%s' failed on Redis node %s (of %s): %s",
                            command,
                            RedisText.show(key),
                            node,
                            connectionConfig.endpoint(),
                            message),
                    e.getCause());
        }
    }

    /** Waits for the reply of one command, not of a key; any error is an IOException. */
    <V> V await(RedisFuture<V> future, String command, RedisEndpoint node) throws IOException {
        awaitAll(List.of(future), node);
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while reading from Redis", e);
        } catch (ExecutionException e) {
            throw failure(
                    String.format(
                            "%s failed on Redis node %s (of %s): %s",
                            command, node, connectionConfig.endpoint(), e.getCause().getMessage()),
                    e.getCause());
        }
    }

    /**
     * An IOException whose message says everything. The Redis failure is logged, not chained:
     * Flink's SQL client shows only the last "Caused by" of an error, which must be this message. A
     * failure of the connection rather than of the command is a {@link NodeUnavailableException},
     * which the reader may recover from.
     */
    static IOException failure(String message, Throwable redisFailure) {
        LOG.warn(message, redisFailure);
        return redisFailure instanceof RedisCommandExecutionException
                ? new IOException(message)
                : new NodeUnavailableException(message);
    }

    /** A node could not be reached or dropped the connection. */
    static class NodeUnavailableException extends IOException {
        private static final long serialVersionUID = 1L;

        NodeUnavailableException(String message) {
            super(message);
        }
    }

    /** The scanned node was a primary and is not any more: its SCAN cursor may be void. */
    static class NodeDemotedException extends NodeUnavailableException {
        private static final long serialVersionUID = 1L;

        NodeDemotedException(String message) {
            super(message);
        }
    }

    /**
     * The scanned replica replicates another primary now, or its link to its primary went down or
     * came up: it may have loaded a new data set, which voids its SCAN cursor.
     */
    static final class ReplicaChangedException extends NodeDemotedException {
        private static final long serialVersionUID = 1L;

        ReplicaChangedException(String message) {
            super(message);
        }
    }
}
