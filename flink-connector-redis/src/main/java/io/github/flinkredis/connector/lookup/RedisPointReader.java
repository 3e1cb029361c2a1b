package io.github.flinkredis.connector.lookup;

import io.github.flinkredis.connector.client.RedisFailureKind;
import io.github.flinkredis.connector.client.RedisPipeline;
import io.github.flinkredis.connector.client.RedisRetriedRead;
import io.github.flinkredis.connector.client.RedisRetryPolicy;
import io.github.flinkredis.connector.client.SharedClientResources;
import io.github.flinkredis.connector.config.RedisConnectionConfig;
import io.github.flinkredis.connector.config.RedisDataType;
import io.github.flinkredis.connector.model.RedisMemberRange;
import io.github.flinkredis.connector.model.RedisReadSpec;
import io.github.flinkredis.connector.model.RedisRecord;
import io.github.flinkredis.connector.model.RedisText;
import io.github.flinkredis.connector.types.RedisTypes;
import io.github.flinkredis.connector.types.spi.RedisMemberLookup;
import io.github.flinkredis.connector.types.spi.RedisTypeHandler;
import io.github.flinkredis.connector.types.spi.RedisValueRead;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.io.IOException;
import java.io.Serializable;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import javax.annotation.Nullable;
import org.apache.flink.annotation.Internal;
import org.apache.flink.metrics.MetricGroup;

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
 * again after the pauses of {@link RedisRetryPolicy} (50 ms, doubling up to 1 s), at most {@code
 * maxRetries} times, then fails naming the key and the last error. Another error reply (e.g.
 * WRONGTYPE: the key holds another type) fails at once, naming the key and the command. After
 * {@link #close()}, reads fail and no retry connects again.
 *
 * <p>Each read is one {@link RedisRetriedRead} (the future returned), called back once per round of
 * commands (the last reply's: one connection answers in order), with no future stage per command.
 */
@Internal
public final class RedisPointReader implements Serializable {

    private static final long serialVersionUID = 1L;

    private final RedisConnectionConfig connectionConfig;
    private final RedisDataType dataType;
    private final List<String> fields;

    /** The read of the key's value (hash, json, string); null for a member's. */
    @Nullable private final RedisValueRead valueRead;

    /** The read of a member of the key (a sorted set's); null for the key's value. */
    @Nullable private final RedisMemberLookup memberLookup;

    private final boolean fetchTtl;
    private final int maxRetries;
    private final String maxRetriesSetting;
    private final String dataTypeSetting;

    /**
     * The connection every read shares ({@link RedisPipeline#immediate}); made at the first use.
     */
    private transient volatile RedisPipeline pipeline;

    private transient boolean resourcesHeld;

    /** The metrics of the reads, from {@link #open(MetricGroup)}; null before (or without). */
    @Nullable private transient RedisLookupMetrics metrics;

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
        RedisTypeHandler handler = RedisTypes.of(dataType);
        this.valueRead =
                handler.valueRead(
                        new RedisReadSpec(
                                handler,
                                this.fields,
                                fetchTtl,
                                1000,
                                RedisMemberRange.ALL,
                                jsonPath));
        this.memberLookup =
                valueRead != null || this.fields.isEmpty()
                        ? null
                        : handler.memberLookup(this.fields);
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
     * {@link #open()}, and registers the reads' metrics in {@code metricGroup} (see {@link
     * RedisLookupMetrics}: lookups, lookups per second, misses, retries, failures, latency).
     */
    public void open(MetricGroup metricGroup) {
        open();
        metrics = new RedisLookupMetrics(metricGroup);
    }

    /**
     * What Redis holds at {@code key} (and {@code member}, for a zset) as a record of the
     * constructor's fields, or null for a missing key or member. Completes on a Lettuce thread;
     * fails with an {@link IOException} naming the key once the retries are used up, or with the
     * error reply naming the key and command.
     */
    public CompletableFuture<RedisRecord> read(byte[] key, @Nullable byte[] member) {
        return new Read(pipeline(), key, member).start();
    }

    private RedisPipeline pipeline() {
        RedisPipeline p = pipeline;
        if (p != null) {
            return p;
        }
        synchronized (this) {
            if (pipeline == null) {
                pipeline =
                        RedisPipeline.immediate(
                                connectionConfig,
                                RedisRetryPolicy.maxRetries(maxRetries, maxRetriesSetting),
                                "lookup");
            }
            return pipeline;
        }
    }

    /**
     * Connects now rather than at the first read.
     *
     * @throws RuntimeException if Redis cannot be reached or refuses the credentials
     */
    public void connect() {
        pipeline().commands();
    }

    /** Closes the connection; later reads and pending retries fail. */
    public synchronized void close() throws Exception {
        try {
            pipeline().close();
        } finally {
            if (resourcesHeld) {
                resourcesHeld = false;
                SharedClientResources.release();
            }
        }
    }

    /**
     * The read of one key: {@code PTTL} (with {@code fetchTtl}), the value's command ({@code
     * HMGET}, {@code JSON.GET}, {@code GET}) or {@code ZSCORE} (and {@code ZRANK}), in this order;
     * then, where the reply may be of a missing key and no TTL tells, {@code EXISTS}.
     */
    private final class Read extends RedisRetriedRead<RedisRecord> {
        private final byte[] key;
        @Nullable private final byte[] member;
        @Nullable private RedisFuture<Long> ttl;
        @Nullable private RedisFuture<?> value;
        @Nullable private RedisFuture<?> second;
        @Nullable private RedisFuture<Long> exists;

        /** The record read, waiting for {@link #exists}; null for a key-only read. */
        @Nullable private RedisRecord found;

        /** When the read began ({@link System#nanoTime()}), where metrics are kept. */
        private final long startNanos;

        Read(RedisPipeline pipeline, byte[] key, @Nullable byte[] member) {
            super(pipeline);
            this.key = key;
            this.member = member;
            this.startNanos = metrics == null ? 0 : System.nanoTime();
        }

        /**
         * Counts the read in the metrics first, so that whoever waits for it sees it counted once
         * it is done; then completes it.
         */
        @Override
        public boolean complete(RedisRecord record) {
            if (metrics != null && !isDone()) {
                metrics.completed(startNanos, record != null);
            }
            return super.complete(record);
        }

        /** Counts the failed read in the metrics first (as {@link #complete}); then fails it. */
        @Override
        public boolean completeExceptionally(Throwable failure) {
            if (metrics != null && !isDone()) {
                metrics.failed(startNanos);
            }
            return super.completeExceptionally(failure);
        }

        @Override
        protected void retrying(int attempt) {
            if (metrics != null) {
                metrics.retried();
            }
        }

        @Override
        protected void attempt(RedisClusterAsyncCommands<byte[], byte[]> c) {
            value = null;
            second = null;
            exists = null;
            found = null;
            ttl = fetchTtl ? c.pttl(key) : null;
            if (fields.isEmpty()) {
                // no value selected: PTTL, or else EXISTS, tells whether the key is there
                if (ttl == null) {
                    found = RedisValueRead.keyOnly(key, RedisRecord.TTL_NOT_FETCHED);
                    exists = c.exists(key);
                }
            } else if (valueRead != null) {
                value = valueRead.send(c, key);
            } else {
                value = memberLookup.send(c, key, member);
                second = memberLookup.sendSecond(c, key, member);
            }
            awaitReply(
                    exists != null
                            ? exists
                            : second != null ? second : value != null ? value : ttl);
        }

        @Override
        protected void replied(RedisClusterAsyncCommands<byte[], byte[]> c) {
            if (waiting(ttl) || waiting(value) || waiting(second) || waiting(exists)) {
                return;
            }
            if (failed(ttl, "PTTL")
                    || failed(
                            value, valueRead != null ? valueRead.command() : memberLookup.command())
                    || failed(second, memberLookup == null ? null : memberLookup.secondCommand())
                    || failed(exists, "EXISTS")) {
                return;
            }
            if (exists != null) {
                Long n = (Long) now(exists);
                complete(n != null && n > 0 ? found : null);
                return;
            }
            long t = ttl == null ? RedisRecord.TTL_NOT_FETCHED : (Long) now(ttl);
            RedisRecord r = t == -2 ? null : record(t);
            if (ttl != null || r == null || !mayBeMissing(r)) {
                complete(r);
                return;
            }
            // nils only (or nothing read): the key may be missing
            found = r;
            exists = c.exists(key);
            awaitReply(exists);
        }

        /** The record of the replies (all arrived, none failed), or null for a missing member. */
        @Nullable
        private RedisRecord record(long t) {
            if (fields.isEmpty()) {
                return RedisValueRead.keyOnly(key, t);
            }
            if (valueRead != null) {
                try {
                    return valueRead.record(key, now(value), -1, t);
                } catch (IOException e) {
                    throw new ErrorReply(e.getMessage());
                }
            }
            return memberLookup.record(
                    key, member, now(value), second == null ? null : now(second), t);
        }

        /** Whether {@code f} is still waiting for its reply: then this read waits for it. */
        private boolean waiting(@Nullable RedisFuture<?> f) {
            if (f == null || f.isDone()) {
                return false;
            }
            awaitReply(f);
            return true;
        }

        /**
         * Whether {@code f} failed: an error reply naming the key and command fails the read, any
         * other failure is retried.
         */
        private boolean failed(@Nullable RedisFuture<?> f, String command) {
            if (f == null) {
                return false;
            }
            Throwable cause;
            try {
                f.get();
                return false;
            } catch (ExecutionException e) {
                cause = RedisFailureKind.unwrap(e);
            } catch (Exception e) {
                cause = e; // cancelled (its connection closed); or interrupted, which it cannot be
            }
            if (RedisFailureKind.of(cause) != RedisFailureKind.COMMAND_ERROR) {
                retry(cause);
                return true;
            }
            String message = cause.getMessage();
            String hint =
                    message != null && message.startsWith("WRONGTYPE")
                            ? String.format(
                                    " (the key does not hold a %s, as %s says)",
                                    dataType, dataTypeSetting)
                            : "";
            completeExceptionally(
                    new ErrorReply(
                            String.format(
                                    "Lookup of key '%s': %s answered '%s'%s",
                                    show(key), command, message, hint)));
            return true;
        }

        @Override
        protected Throwable exhausted(int attempts, Throwable cause) {
            return new IOException(
                    String.format(
                            "Lookup of key '%s' failed after %d attempt(s) (%s = %d): %s",
                            show(key), attempts, maxRetriesSetting, maxRetries, cause.getMessage()),
                    cause);
        }

        @Override
        protected String describe() {
            return "Lookup of key '" + show(key) + "'";
        }
    }

    /**
     * Whether a record read may be of a missing key: its value read says so (an HMGET of nils
     * only), or a member's parts are all null.
     */
    private boolean mayBeMissing(RedisRecord record) {
        return valueRead != null ? valueRead.mayBeMissing(record) : allNull(record.values());
    }

    /** The reply of a future that completed normally. */
    @Nullable
    private static Object now(RedisFuture<?> f) {
        try {
            return f.get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("Not a reply", e); // checked before: cannot happen
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
        Throwable cause = RedisFailureKind.unwrap(failure);
        return cause instanceof IOException
                ? (IOException) cause
                : new IOException(cause.getMessage(), cause);
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
