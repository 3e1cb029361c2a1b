package io.github.flinkredis.connector.sink;

import io.github.flinkredis.connector.client.RedisClientFactory;
import io.github.flinkredis.connector.client.RedisClusterAccess;
import io.github.flinkredis.connector.client.RedisNodeConnection;
import io.github.flinkredis.connector.client.RedisReplies;
import io.github.flinkredis.connector.config.RedisConnectionConfig;
import io.github.flinkredis.connector.config.RedisWriteOptions;
import io.github.flinkredis.connector.types.RedisTypes;
import io.github.flinkredis.connector.types.spi.RedisTypeWriter;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes {@link RedisMutation}s in pipelined batches, at least once.
 *
 * <p>Mutations are buffered; a full buffer ({@code maxBatchRows}), the flush interval and every
 * checkpoint ({@link #flush}) send its commands in one pipelined write, on one connection (one per
 * node in a cluster, commands routed by key slot). At most {@code maxBatchesInFlight} batches are
 * sent before the writer waits for the replies of the oldest one, and {@link #flush} waits for
 * every reply: a checkpoint completes only when everything before it is in Redis.
 *
 * <p>Commands per data type: hash {@code HSET key f v ...} and {@code HDEL key f ...} for NULL
 * fields, string {@code SET key v} ({@code PX ttl} with a TTL), set {@code SADD key m}, list {@code
 * RPUSH key e}, zset {@code ZADD key score m}, json {@code JSON.SET key $ doc}, stream {@code XADD
 * key [MAXLEN ~ n] id|* f v ...}, timeseries {@code TS.ADD key t v ON_DUPLICATE policy [LABELS l v
 * ...]}; deletes {@code DEL key}, {@code SREM}, {@code ZREM}, {@code TS.DEL key t t}; with a TTL,
 * {@code PEXPIRE key ttl} after each write.
 *
 * <p>An update-before ({@link RedisMutation#isUpdateBefore()}, a table's UPDATE_BEFORE row) is
 * written as its DELETE, unless the next mutation of its key is an UPSERT of the same record (hash,
 * string, json: the key; set, zset: the member; timeseries with the duplicate policy {@code LAST}:
 * the sample's timestamp): then only the UPSERT is written, as an update in place. A full buffer or
 * the flush interval does not send an update-before that is the last mutation of its key the first
 * time (its UPSERT may be on its way): it goes with the next batch, at the latest one flush
 * interval later (without an interval, with the next full buffer), and a checkpoint or the end of
 * the input sends it. Nothing of its key is sent before it.
 *
 * <p>A stream entry with an explicit ID at or below the stream's last one (Redis: "The ID specified
 * in XADD is equal or smaller than the target stream top item") is taken as written before, which
 * is what a replay after a restore sends: it is skipped, logged and counted in the metric {@value
 * #STREAM_ENTRIES_SKIPPED}.
 *
 * <p>Per-key order holds: the commands of one key go over one connection in the order of the input.
 * A batch that fails for a connection problem, a timeout or a transient server state (LOADING,
 * BUSY, TRYAGAIN, CLUSTERDOWN, MASTERDOWN, READONLY, OOM) is sent again on a new connection
 * together with every batch after it, in order, up to {@code maxRetries} times; any other error
 * (WRONGTYPE, NOPERM, ...) fails the job with a message naming the key, the command and Redis's
 * error. Appends (RPUSH) sent again may be applied twice: at-least-once.
 */
@Internal
public class RedisSinkWriter<IN> implements SinkWriter<IN> {

    private static final Logger LOG = LoggerFactory.getLogger(RedisSinkWriter.class);

    private static final long FIRST_RETRY_PAUSE_MILLIS = 100;

    /** The counter of stream entries skipped because their ID was not above the stream's last. */
    public static final String STREAM_ENTRIES_SKIPPED = "numStreamEntriesSkipped";

    private static final long FLUSH_WHILE_WAITING_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private final RedisConnectionConfig connectionConfig;
    private final RedisWriteOptions options;
    private final RedisMutationSerializer<IN> serializer;

    /** The data type's commands, built once. */
    private final RedisTypeWriter typeWriter;

    /** The mutation being issued or checked, as the type writer reads it. */
    private final RedisMutationView view = new RedisMutationView();

    private final long timeoutMillis;
    private final ProcessingTimeService timeService;
    private final Counter recordsSent;
    private final Counter sendErrors;
    private final Counter entriesSkipped;
    private volatile long lastSendTimeMillis;

    /** The mutations to send, in input order (update-befores paired with their UPSERTs). */
    private final RedisMutationBuffer buffer;

    private final ArrayDeque<Batch> inFlight = new ArrayDeque<>();
    private Connection connection;

    /** Whether the deployment is a Redis Cluster; known after the first connect. */
    private Boolean isCluster;

    private boolean timerScheduled;

    public RedisSinkWriter(
            RedisConnectionConfig connectionConfig,
            RedisWriteOptions options,
            RedisMutationSerializer<IN> serializer,
            WriterInitContext context)
            throws IOException {
        this.connectionConfig = connectionConfig;
        this.options = options;
        this.typeWriter = RedisTypes.of(options.dataType()).writer(options);
        this.buffer = new RedisMutationBuffer(typeWriter);
        this.serializer = serializer;
        this.timeoutMillis = connectionConfig.getCommandTimeout().toMillis();
        this.timeService = context.getProcessingTimeService();
        SinkWriterMetricGroup metrics = context.metricGroup();
        this.recordsSent = metrics.getNumRecordsSendCounter();
        this.sendErrors = metrics.getNumRecordsSendErrorsCounter();
        metrics.setCurrentSendTimeGauge(() -> lastSendTimeMillis);
        this.entriesSkipped = metrics.counter(STREAM_ENTRIES_SKIPPED);
        try {
            serializer.open(context.asSerializationSchemaInitializationContext());
        } catch (Exception e) {
            throw new IOException("Cannot open the serializer of the Redis sink", e);
        }
        this.connection = connect();
    }

    @Override
    public void write(IN element, Context context) throws IOException, InterruptedException {
        RedisMutation mutation;
        try {
            mutation = serializer.serialize(element);
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e.getMessage(), e);
        }
        if (mutation == null) {
            return;
        }
        collectCompleted();
        buffer.add(mutation);
        if (buffer.size() >= options.maxBatchRows()) {
            send(true);
        } else {
            scheduleFlush();
        }
    }

    @Override
    public void flush(boolean endOfInput) throws IOException, InterruptedException {
        send(false);
        while (!inFlight.isEmpty()) {
            awaitOldest();
        }
    }

    private void scheduleFlush() {
        long interval = options.flushInterval().toMillis();
        if (timerScheduled || interval <= 0) {
            return;
        }
        timerScheduled = true;
        timeService.registerTimer(
                timeService.getCurrentProcessingTime() + interval,
                time -> {
                    timerScheduled = false;
                    send(true);
                });
    }

    /**
     * Sends the buffered mutations as one batch, after waiting for the oldest batches while {@code
     * maxBatchesInFlight} are in flight.
     *
     * <p>With {@code holdUpdateBefores} (a full buffer, the timer), an update-before that is the
     * last mutation of its key stays in the buffer once ({@link RedisMutationBuffer#drain}): the
     * UPSERT of its update may be on its way (a flush can fall between the two halves). {@link
     * #flush} (checkpoints, end of input) sends everything.
     */
    private void send(boolean holdUpdateBefores) throws IOException, InterruptedException {
        if (buffer.isEmpty()) {
            return;
        }
        List<RedisMutation> mutations = buffer.drain(holdUpdateBefores);
        if (!buffer.isEmpty()) {
            // held update-befores: sent at the latest with the timer's next flush
            scheduleFlush();
        }
        if (mutations.isEmpty()) {
            return;
        }
        while (inFlight.size() >= options.maxBatchesInFlight()) {
            awaitOldest();
        }
        Batch batch = new Batch(mutations);
        dispatch(batch);
        connection.flush();
        inFlight.addLast(batch);
    }

    /** Takes in the replies of batches that are complete, so that errors show without delay. */
    private void collectCompleted() throws IOException, InterruptedException {
        while (!inFlight.isEmpty() && inFlight.peekFirst().isDone()) {
            awaitOldest();
        }
    }

    /** Waits for the oldest batch's replies; on a retriable failure, sends it again. */
    private void awaitOldest() throws IOException, InterruptedException {
        int attempt = 0;
        while (true) {
            Batch batch = inFlight.peekFirst();
            Failure failure = await(batch);
            if (failure == null) {
                inFlight.pollFirst();
                recordsSent.inc(batch.mutations.size());
                return;
            }
            sendErrors.inc(batch.mutations.size());
            if (!failure.retriable || attempt >= options.maxRetries()) {
                throw new IOException(
                        failure.message
                                + (failure.retriable
                                        ? String.format(
                                                " (after %d retries, option 'sink.max-retries')",
                                                attempt)
                                        : ""));
            }
            attempt++;
            long pause =
                    Math.min(timeoutMillis, FIRST_RETRY_PAUSE_MILLIS << Math.min(attempt - 1, 20));
            LOG.warn(
                    "Writing to Redis failed ({}); sending {} batch(es) again in {} ms, attempt"
                            + " {} of {}",
                    failure.message,
                    inFlight.size(),
                    pause,
                    attempt,
                    options.maxRetries());
            Thread.sleep(pause);
            resendAll();
        }
    }

    /** Reconnects and sends every batch in flight again, oldest first. */
    private void resendAll() throws IOException {
        connection.close();
        try {
            connection = connect();
        } catch (RuntimeException e) {
            // the next await fails at once and counts as another attempt
            LOG.warn("Could not reconnect to Redis: {}", e.getMessage());
            connection = Connection.broken(e);
            return;
        }
        for (Batch batch : inFlight) {
            dispatch(batch);
        }
        connection.flush();
    }

    /**
     * Sets {@code currentSendTime} and marks the batch complete when the last reply of {@code
     * batch} arrives.
     */
    private void timeReplies(Batch batch) {
        long sentAt = batch.sentAt;
        batch.complete = false;
        // replies of an earlier send of the batch (before a resend) do not count
        int attempt = ++batch.sends;
        // one connection answers in order: its last reply comes last; a cluster's nodes do not
        CompletableFuture<?> all =
                batch.futures.isEmpty()
                        ? CompletableFuture.completedFuture(null)
                        : connection.ordered
                                ? batch.futures.get(batch.futures.size() - 1).toCompletableFuture()
                                : CompletableFuture.allOf(
                                        batch.futures.stream()
                                                .map(f -> f.toCompletableFuture())
                                                .toArray(CompletableFuture[]::new));
        all.whenComplete(
                (ok, failure) -> {
                    if (batch.sends != attempt) {
                        return;
                    }
                    if (failure == null) {
                        lastSendTimeMillis = (System.nanoTime() - sentAt) / 1_000_000;
                    }
                    batch.complete = true;
                });
    }

    private Connection connect() {
        if (isCluster == null) {
            // asks the server where the configuration leaves it open: once, not per reconnect
            isCluster = RedisClientFactory.isCluster(connectionConfig);
        }
        if (isCluster) {
            RedisClusterAccess cluster = RedisClientFactory.connectCluster(connectionConfig);
            try {
                // commands issued while a node connection opens may be reordered by Lettuce
                cluster.connectPrimaries(connectionConfig.getCommandTimeout());
            } catch (RuntimeException e) {
                cluster.close();
                throw e;
            }
            cluster.setAutoFlushCommands(false);
            return new Connection(
                    cluster.async(), cluster::flushCommands, cluster::close, null, false);
        }
        RedisNodeConnection node = RedisClientFactory.connect(connectionConfig);
        node.setAutoFlushCommands(false);
        return new Connection(node.async(), node::flushCommands, node::close, null, true);
    }

    /**
     * Issues the commands of every mutation of {@code batch} (not yet flushed), replacing those of
     * an earlier send, and watches for their replies.
     */
    private void dispatch(Batch batch) {
        batch.sentAt = System.nanoTime();
        batch.futures.clear();
        batch.commandMutations.clear();
        batch.commandNames.clear();
        if (connection.failure == null) {
            issueCommands(batch);
        }
        timeReplies(batch);
    }

    /**
     * Issues the data type's commands ({@link RedisTypeWriter}) of every mutation of {@code batch},
     * with {@code PEXPIRE key ttl} after an UPSERT whose commands leave the TTL to the sink.
     */
    private void issueCommands(Batch batch) {
        RedisClusterAsyncCommands<byte[], byte[]> c = connection.commands;
        for (RedisMutation m : batch.mutations) {
            batch.current = m;
            if (m.kind() == RedisMutation.Kind.DELETE) {
                typeWriter.delete(c, view.of(m), batch);
                continue;
            }
            long ttl =
                    m.ttlMillis() == RedisMutation.NO_TTL
                            ? ttlOption()
                            : (m.ttlMillis() > 0 ? m.ttlMillis() : -1);
            if (typeWriter.upsert(c, view.of(m), ttl, batch) && ttl >= 0) {
                batch.add("PEXPIRE", c.pexpire(m.key(), ttl));
            }
        }
    }

    private long ttlOption() {
        return options.ttl() == null ? -1 : options.ttl().toMillis();
    }

    /** Waits for every reply of {@code batch}; the first failure, or null. */
    private Failure await(Batch batch) throws InterruptedException {
        if (connection.failure != null) {
            return new Failure(
                    "Cannot reach Redis at "
                            + connectionConfig.endpoint()
                            + ": "
                            + connection.failure.getMessage(),
                    true);
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        for (int i = batch.futures.size() - 1; i >= 0; i--) {
            RedisFuture<?> f = batch.futures.get(i);
            while (!f.isDone() && System.nanoTime() < deadline) {
                long left = deadline - System.nanoTime();
                if (!f.await(Math.min(left, FLUSH_WHILE_WAITING_NANOS), TimeUnit.NANOSECONDS)) {
                    // a cluster node connection that reconnected holds its commands again until
                    // a flush: without one they would wait for the timeout
                    connection.flush();
                }
            }
            if (!f.isDone()) {
                return new Failure(
                        String.format(
                                "Redis at %s did not answer %d pipelined commands within %d ms"
                                        + " (option 'command.timeout')",
                                connectionConfig.endpoint(), batch.futures.size(), timeoutMillis),
                        true);
            }
        }
        return checkReplies(batch);
    }

    /**
     * The first failure among the replies of {@code batch} (all arrived), or null; writes taken as
     * done before ({@link RedisTypeWriter#writtenBefore}) are skipped, counted and logged.
     */
    private Failure checkReplies(Batch batch) throws InterruptedException {
        long skipped = 0;
        String firstSkipped = null;
        for (int i = 0; i < batch.futures.size(); i++) {
            RedisFuture<?> f = batch.futures.get(i);
            try {
                f.get();
            } catch (CancellationException e) {
                // Lettuce cancels the commands of a connection it closes (e.g. a node that left)
                return new Failure(
                        String.format(
                                "%s of key '%s' was cancelled by the client (its connection to"
                                        + " Redis at %s closed)",
                                batch.commandNames.get(i),
                                batch.commandMutations.get(i).keyAsString(),
                                connectionConfig.endpoint()),
                        true);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                String error = String.valueOf(cause.getMessage());
                RedisMutation m = batch.commandMutations.get(i);
                if (typeWriter.writtenBefore(view.of(m), error)) {
                    if (firstSkipped == null) {
                        firstSkipped =
                                String.format(
                                        "'%s' of stream '%s'",
                                        new String(m.entryId(), StandardCharsets.UTF_8),
                                        m.keyAsString());
                    }
                    skipped++;
                    continue;
                }
                String message =
                        String.format(
                                "%s of key '%s' failed on Redis at %s: %s",
                                batch.commandNames.get(i),
                                m.keyAsString(),
                                connectionConfig.endpoint(),
                                error);
                return new Failure(
                        message,
                        !(cause instanceof RedisCommandExecutionException)
                                || RedisReplies.isTransientError(error));
            }
        }
        if (skipped > 0) {
            entriesSkipped.inc(skipped);
            LOG.warn(
                    "Skipped {} stream entries whose ID is not above their stream's last one,"
                            + " taken as written before (a replay), e.g. entry {}",
                    skipped,
                    firstSkipped);
        }
        return null;
    }

    @Override
    public void close() throws Exception {
        if (connection != null) {
            connection.close();
        }
    }

    /** Mutations sent in one pipelined write, with their commands' replies. */
    private static final class Batch implements RedisTypeWriter.Replies {
        final List<RedisMutation> mutations;
        final List<RedisFuture<?>> futures = new ArrayList<>();

        /** For each command sent: its mutation and its name (for messages); no object each. */
        final List<RedisMutation> commandMutations = new ArrayList<>();

        final List<String> commandNames = new ArrayList<>();
        long sentAt;

        Batch(List<RedisMutation> mutations) {
            this.mutations = mutations;
        }

        /** The mutation whose commands are being issued. */
        RedisMutation current;

        @Override
        public void add(String command, RedisFuture<?> future) {
            futures.add(future);
            commandMutations.add(current);
            commandNames.add(command);
        }

        /** Set when every reply (or failure) of the batch arrived, by {@link #timeReplies}. */
        volatile boolean complete;

        /** How often the batch was sent (1, then 1 more per resend). */
        volatile int sends;

        /** Whether every reply (or failure) of the batch arrived; O(1), for every row written. */
        boolean isDone() {
            return complete;
        }
    }

    private static final class Failure {
        final String message;
        final boolean retriable;

        Failure(String message, boolean retriable) {
            this.message = message;
            this.retriable = retriable;
        }
    }

    /** The commands of one connection (a node, or a whole cluster) and how to flush and close. */
    private static final class Connection {
        final RedisClusterAsyncCommands<byte[], byte[]> commands;
        final Runnable flusher;
        final Runnable closer;
        final RuntimeException failure;

        /** Whether the replies come in the order of the commands (one node, not a cluster). */
        final boolean ordered;

        Connection(
                RedisClusterAsyncCommands<byte[], byte[]> commands,
                Runnable flusher,
                Runnable closer,
                RuntimeException failure,
                boolean ordered) {
            this.commands = commands;
            this.flusher = flusher;
            this.closer = closer;
            this.failure = failure;
            this.ordered = ordered;
        }

        static Connection broken(RuntimeException failure) {
            return new Connection(null, () -> {}, () -> {}, failure, true);
        }

        void flush() {
            flusher.run();
        }

        void close() {
            closer.run();
        }
    }
}
