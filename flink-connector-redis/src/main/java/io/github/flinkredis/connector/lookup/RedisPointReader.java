package io.github.flinkredis.connector.lookup;

import io.github.flinkredis.connector.client.RedisClientFactory;
import io.github.flinkredis.connector.client.RedisClusterAccess;
import io.github.flinkredis.connector.client.RedisNodeConnection;
import io.github.flinkredis.connector.client.RedisReplies;
import io.github.flinkredis.connector.client.SharedClientResources;
import io.github.flinkredis.connector.config.RedisConnectionConfig;
import io.github.flinkredis.connector.config.RedisDataType;
import io.github.flinkredis.connector.model.RedisMemberRange;
import io.github.flinkredis.connector.model.RedisReadSpec;
import io.github.flinkredis.connector.model.RedisRecord;
import io.github.flinkredis.connector.model.RedisText;
import io.github.flinkredis.connector.types.RedisTypes;
import io.github.flinkredis.connector.types.spi.RedisValueRead;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.annotation.Nullable;
import org.apache.flink.annotation.Internal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The point reads of one Redis key, shared by the lookups of SQL ({@link RedisLookupReader}) and of
 * the DataStream API ({@link RedisAsyncLookupFunction}): for one key, the commands of its data
 * type, sent on one connection that every read of the reader shares, so concurrent reads are
 * pipelined.
 *
 * <p>Commands per data type ({@code PTTL key} added where {@code fetchTtl}):
 *
 * <ul>
 *   <li>hash: {@code HMGET key f1 f2 ...} of the selected fields; where every field is nil, {@code
 *       EXISTS key} tells a hash without those fields from a missing key;
 *   <li>json: {@code JSON.GET key path1 path2 ...} of the selected members;
 *   <li>string: {@code GET key};
 *   <li>zset: {@code ZSCORE key member}, and {@code ZRANK key member} where the rank is selected;
 *   <li>where no value is selected: {@code EXISTS key}.
 * </ul>
 *
 * <p>A missing key or member reads as null. Redis unreachable, a timeout or a lost connection, or
 * an error reply of a passing server state (LOADING, CLUSTERDOWN, TRYAGAIN, ...): the read is sent
 * again after 100 ms, doubling up to 1 s, at most {@code maxRetries} times, then fails naming the
 * key and the last error. Another error reply (e.g. WRONGTYPE: the key holds another type) fails at
 * once, naming the key and the command. After {@link #close()}, reads fail and no retry connects
 * again.
 */
@Internal
public final class RedisPointReader implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(RedisPointReader.class);
    private static final long MAX_RETRY_PAUSE_MILLIS = 1000;

    private final RedisConnectionConfig connectionConfig;
    private final RedisDataType dataType;
    private final List<String> fields;

    /** The read of the key's value (hash, json, string); null for a zset member's. */
    @Nullable private final RedisValueRead valueRead;

    /** The names of {@link #fields}, those of a zset member's record. */
    private final byte[][] fieldNames;

    private final boolean fetchTtl;
    private final int maxRetries;
    private final String maxRetriesSetting;
    private final String dataTypeSetting;

    private transient volatile RedisClusterAsyncCommands<byte[], byte[]> commands;
    private transient AutoCloseable connection;
    private transient boolean resourcesHeld;
    private transient volatile boolean closed;

    /**
     * @param dataType hash, json, string or zset
     * @param fields what each read needs: hash fields, JSON members (under {@code jsonPath}), the
     *     string's value ({@code value}), or a zset's {@link RedisReadSpec#MEMBER}, {@link
     *     RedisReadSpec#SCORE}, {@link RedisReadSpec#RANK}; the order of a record's values
     * @param jsonPath the JSONPath of the value whose members {@code fields} names ({@code $})
     * @param fetchTtl whether to read the key's TTL ({@code PTTL})
     * @param maxRetries attempts after the first for a failure another attempt may cure
     * @param maxRetriesSetting where the user sets {@code maxRetries}, for messages
     * @param dataTypeSetting where the user sets {@code dataType}, for messages
     */
    public RedisPointReader(
            RedisConnectionConfig connectionConfig,
            RedisDataType dataType,
            List<String> fields,
            String jsonPath,
            boolean fetchTtl,
            int maxRetries,
            String maxRetriesSetting,
            String dataTypeSetting) {
        this.connectionConfig = connectionConfig;
        this.dataType = dataType;
        this.fields = List.copyOf(fields);
        this.fieldNames = RedisValueRead.names(this.fields);
        this.valueRead =
                RedisTypes.of(dataType)
                        .valueRead(
                                new RedisReadSpec(
                                        dataType,
                                        this.fields,
                                        fetchTtl,
                                        1000,
                                        RedisMemberRange.ALL,
                                        jsonPath));
        this.fetchTtl = fetchTtl;
        this.maxRetries = maxRetries;
        this.maxRetriesSetting = maxRetriesSetting;
        this.dataTypeSetting = dataTypeSetting;
    }

    /**
     * Takes a reference to the shared client resources, held until {@link #close()}; connects at
     * the first read.
     */
    public void open() {
        // held until close(), so that closing a broken connection (the last one, maybe) never
        // shuts down the event loops and timers that the next connection needs
        SharedClientResources.acquire();
        resourcesHeld = true;
    }

    /**
     * What Redis holds at {@code key} (and {@code member}, for a zset) as a record of the
     * constructor's fields, or null for a missing key or member. Completes on a Lettuce thread;
     * fails with an {@link IOException} naming the key once the retries are used up, or with the
     * error reply naming the key and command.
     */
    public CompletableFuture<RedisRecord> read(byte[] key, @Nullable byte[] member) {
        return readWithRetries(key, member, 0);
    }

    private CompletableFuture<RedisRecord> readWithRetries(
            byte[] key, @Nullable byte[] member, int attempt) {
        CompletableFuture<RedisRecord> read;
        RedisClusterAsyncCommands<byte[], byte[]> used = null;
        try {
            used = commands();
            read = send(used, key, member);
        } catch (RuntimeException e) {
            read = CompletableFuture.failedFuture(e);
        }
        RedisClusterAsyncCommands<byte[], byte[]> sentOn = used;
        return read.exceptionallyCompose(
                failure -> {
                    Throwable cause = unwrap(failure);
                    if (cause instanceof ErrorReply || closed) {
                        return CompletableFuture.failedFuture(cause);
                    }
                    if (attempt >= maxRetries) {
                        return CompletableFuture.failedFuture(
                                new IOException(
                                        String.format(
                                                "Lookup of key '%s' failed after %d attempt(s)"
                                                        + " (%s = %d): %s",
                                                show(key),
                                                attempt + 1,
                                                maxRetriesSetting,
                                                maxRetries,
                                                cause.getMessage()),
                                        cause));
                    }
                    long pause = Math.min(MAX_RETRY_PAUSE_MILLIS, 100L << attempt);
                    LOG.warn(
                            "Lookup of key '{}' failed, retrying in {} ms: {}",
                            show(key),
                            pause,
                            cause.getMessage());
                    // on a pool thread: this may run on a Lettuce event loop, where closing
                    // (and opening) a connection must not block
                    return CompletableFuture.runAsync(
                                    () -> dropIfClosed(sentOn),
                                    CompletableFuture.delayedExecutor(pause, TimeUnit.MILLISECONDS))
                            .thenCompose(ignored -> readWithRetries(key, member, attempt + 1));
                });
    }

    private CompletableFuture<RedisRecord> send(
            RedisClusterAsyncCommands<byte[], byte[]> c, byte[] key, @Nullable byte[] member) {
        CompletableFuture<Long> ttl =
                fetchTtl
                        ? reply(c.pttl(key), "PTTL", key)
                        : CompletableFuture.completedFuture(RedisRecord.TTL_NOT_FETCHED);
        CompletableFuture<RedisRecord> record;
        boolean keyOnly = fields.isEmpty();
        if (keyOnly) {
            // no value selected: PTTL, or else EXISTS, tells whether the key is there
            record = ttl.thenApply(t -> t == -2 ? null : RedisValueRead.keyOnly(key, t));
        } else if (valueRead != null) {
            record =
                    reply(valueRead.send(c, key), valueRead.command(), key)
                            .thenCombine(ttl, (reply, t) -> t == -2 ? null : record(key, reply, t));
        } else {
            record =
                    zsetValues(c, key, member)
                            .thenCombine(
                                    ttl,
                                    (v, t) ->
                                            v == null || t == -2
                                                    ? null
                                                    : new RedisRecord(key, fieldNames, v, t));
        }
        if (fetchTtl) {
            return record;
        }
        return record.thenCompose(
                r -> {
                    if (r == null || !(keyOnly || mayBeMissing(r))) {
                        return CompletableFuture.completedFuture(r);
                    }
                    // nils only (or nothing read): the key may be missing
                    return reply(c.exists(key), "EXISTS", key)
                            .thenApply(n -> n != null && n > 0 ? r : null);
                });
    }

    /**
     * Whether a record read may be of a missing key: its value read says so (an HMGET of nils
     * only), or a zset member's parts are all null.
     */
    private boolean mayBeMissing(RedisRecord record) {
        return valueRead != null ? valueRead.mayBeMissing(record) : allNull(record.values());
    }

    @Nullable
    private RedisRecord record(byte[] key, @Nullable Object reply, long ttl) {
        try {
            return valueRead.record(key, reply, -1, ttl);
        } catch (IOException e) {
            throw new ErrorReply(e.getMessage());
        }
    }

    /** A member's parts in the order of {@link #fields}; null for a missing member. */
    private CompletableFuture<byte[][]> zsetValues(
            RedisClusterAsyncCommands<byte[], byte[]> c, byte[] key, byte[] member) {
        CompletableFuture<Double> score = reply(c.zscore(key, member), "ZSCORE", key);
        CompletableFuture<Long> rank =
                fields.contains(RedisReadSpec.RANK)
                        ? reply(c.zrank(key, member), "ZRANK", key)
                        : CompletableFuture.completedFuture(null);
        return score.thenCombine(
                rank,
                (s, r) -> {
                    if (s == null) {
                        return null;
                    }
                    byte[][] values = new byte[fields.size()][];
                    for (int i = 0; i < values.length; i++) {
                        String field = fields.get(i);
                        if (RedisReadSpec.MEMBER.equals(field)) {
                            values[i] = member;
                        } else if (RedisReadSpec.SCORE.equals(field)) {
                            values[i] = ascii(Double.toString(s));
                        } else if (r != null) {
                            values[i] = ascii(Long.toString(r));
                        }
                    }
                    return values;
                });
    }

    /** {@code future}, with an error reply turned into an {@link ErrorReply} naming the key. */
    private <V> CompletableFuture<V> reply(RedisFuture<V> future, String command, byte[] key) {
        return future.toCompletableFuture()
                .exceptionallyCompose(
                        failure -> {
                            Throwable cause = unwrap(failure);
                            String message = cause.getMessage();
                            if (!(cause instanceof RedisCommandExecutionException)
                                    || RedisReplies.isTransientError(message)) {
                                return CompletableFuture.failedFuture(cause); // retried
                            }
                            String hint =
                                    message != null && message.startsWith("WRONGTYPE")
                                            ? String.format(
                                                    " (the key does not hold a %s, as %s says)",
                                                    dataType, dataTypeSetting)
                                            : "";
                            return CompletableFuture.failedFuture(
                                    new ErrorReply(
                                            String.format(
                                                    "Lookup of key '%s': %s answered '%s'%s",
                                                    show(key), command, message, hint)));
                        });
    }

    private RedisClusterAsyncCommands<byte[], byte[]> commands() {
        RedisClusterAsyncCommands<byte[], byte[]> c = commands;
        if (c != null) {
            return c;
        }
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("The lookup's connection to Redis is closed");
            }
            if (commands == null) {
                if (RedisClientFactory.isCluster(connectionConfig)) {
                    RedisClusterAccess cluster =
                            RedisClientFactory.connectCluster(connectionConfig);
                    connection = cluster;
                    commands = cluster.async();
                } else {
                    RedisNodeConnection node = RedisClientFactory.connect(connectionConfig);
                    connection = node;
                    commands = node.async();
                }
            }
            return commands;
        }
    }

    /**
     * Closes the connection that {@code failed} commands were sent on if it is down, so that the
     * next attempt opens a new one: a node connection does not reconnect by itself (a cluster
     * connection does).
     */
    private synchronized void dropIfClosed(
            @Nullable RedisClusterAsyncCommands<byte[], byte[]> failed) {
        if (failed != null
                && failed == commands
                && connection instanceof RedisNodeConnection
                && !((RedisNodeConnection) connection).isOpen()) {
            ((RedisNodeConnection) connection).close();
            connection = null;
            commands = null;
        }
    }

    /**
     * Connects now rather than at the first read.
     *
     * @throws RuntimeException if Redis cannot be reached or refuses the credentials
     */
    public void connect() {
        commands();
    }

    /** Closes the connection; later reads and pending retries fail. */
    public synchronized void close() throws Exception {
        closed = true;
        try {
            if (connection != null) {
                connection.close();
                connection = null;
                commands = null;
            }
        } finally {
            if (resourcesHeld) {
                resourcesHeld = false;
                SharedClientResources.release();
            }
        }
    }

    private static boolean allNull(byte[][] values) {
        for (byte[] v : values) {
            if (v != null) {
                return false;
            }
        }
        return true;
    }

    /**
     * How a read failed, as the lookups report it: the failure without the CompletionException and
     * ExecutionException around it, an IOException as it is (it names the key), anything else
     * wrapped in one.
     */
    static IOException asIOException(Throwable failure) {
        Throwable cause = unwrap(failure);
        return cause instanceof IOException
                ? (IOException) cause
                : new IOException(cause.getMessage(), cause);
    }

    /** {@code t} without the CompletionException and ExecutionException around it. */
    private static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static String show(byte[] key) {
        return RedisText.show(key);
    }

    /** A failure that another attempt cannot cure: an error reply, or a reply that is not JSON. */
    private static final class ErrorReply extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ErrorReply(String message) {
            super(message);
        }
    }
}
