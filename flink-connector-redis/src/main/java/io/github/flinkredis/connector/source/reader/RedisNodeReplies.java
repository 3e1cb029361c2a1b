package io.github.flinkredis.connector.source.reader;

import io.github.flinkredis.connector.client.RedisFailureKind;
import io.github.flinkredis.connector.client.RedisPipeline;
import io.github.flinkredis.connector.config.RedisConnectionConfig;
import io.github.flinkredis.connector.config.RedisEndpoint;
import io.github.flinkredis.connector.model.RedisText;
import io.github.flinkredis.connector.types.spi.RedisTypeHandler;
import io.lettuce.core.RedisCommandInterruptedException;
import io.lettuce.core.RedisFuture;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.flink.metrics.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replies a {@link RedisKeySplitReader} waits for: awaited within {@code command.timeout} on
 * the node's {@link RedisPipeline}, WRONGTYPE errors (and a module's words for it, see {@link
 * RedisTypeHandler#isOtherTypeError}) counted and skipped, and every other failure turned into an
 * IOException whose message names the command, key and node (a {@link NodeUnavailableException}
 * when the failure is {@link RedisFailureKind#TRANSIENT}: the connection rather than the command
 * failed, or the node is in a passing state).
 */
final class RedisNodeReplies {

    private static final Logger LOG = LoggerFactory.getLogger(RedisKeySplitReader.class);

    private final RedisConnectionConfig connectionConfig;
    private final RedisTypeHandler type;
    private final Counter wrongTypeCounter;

    RedisNodeReplies(
            RedisConnectionConfig connectionConfig,
            RedisTypeHandler type,
            Counter wrongTypeCounter) {
        this.connectionConfig = connectionConfig;
        this.type = type;
        this.wrongTypeCounter = wrongTypeCounter;
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
     * Waits until every command has its reply (or error), within {@code command.timeout} ({@link
     * RedisPipeline#awaitAll}: the last first, since one connection answers in order).
     *
     * @param on the pipeline of the node the commands were sent to (or that sent them on)
     * @throws NodeUnavailableException if a reply did not come in time ({@link
     *     RedisPipeline#timeoutMessage})
     */
    void awaitAll(List<? extends RedisFuture<?>> futures, RedisPipeline on) throws IOException {
        try {
            if (!on.awaitAll(futures)) {
                throw failure(on.timeoutMessage(futures.size()), new TimeoutException());
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
            if (type.isMissingKeyError(message)) {
                // e.g. a series deleted between SCAN and TS.RANGE: no rows, as for other types
                return null;
            }
            // a module may say it in its own words (see isOtherTypeError), or "ERR WRONGTYPE ..."
            if (message.startsWith("WRONGTYPE")
                    || message.startsWith("ERR WRONGTYPE")
                    || type.isOtherTypeError(message)) {
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

    /**
     * Waits for the reply of one command, not of a key, sent on {@code on}; any error is an
     * IOException.
     */
    <V> V await(RedisFuture<V> future, String command, RedisPipeline on) throws IOException {
        awaitAll(List.of(future), on);
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while reading from Redis", e);
        } catch (ExecutionException e) {
            throw failure(
                    String.format(
                            "%s failed on Redis node %s (of %s): %s",
                            command,
                            on.node(),
                            connectionConfig.endpoint(),
                            e.getCause().getMessage()),
                    e.getCause());
        }
    }

    /**
     * An IOException whose message says everything. The Redis failure is logged, not chained:
     * Flink's SQL client shows only the last "Caused by" of an error, which must be this message. A
     * transient failure ({@link RedisFailureKind#TRANSIENT}: of the connection rather than of the
     * command, or an error reply of a passing server state) is a {@link NodeUnavailableException},
     * which the reader may recover from.
     */
    static IOException failure(String message, Throwable redisFailure) {
        LOG.warn(message, redisFailure);
        return RedisFailureKind.of(redisFailure) == RedisFailureKind.TRANSIENT
                ? new NodeUnavailableException(message)
                : new IOException(message);
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
