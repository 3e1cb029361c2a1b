package io.github.flinkredis.connector.sink;

import io.github.flinkredis.connector.client.RedisFailureKind;
import io.github.flinkredis.connector.client.RedisPipeline;
import io.github.flinkredis.connector.client.RedisPipelinedBatches;
import io.github.flinkredis.connector.client.RedisPipelinedBatches.Failure;
import io.github.flinkredis.connector.client.RedisRetryPolicy;
import io.github.flinkredis.connector.client.RedisServerVersion;
import io.github.flinkredis.connector.config.RedisConnectionConfig;
import io.github.flinkredis.connector.config.RedisDataType;
import io.github.flinkredis.connector.config.RedisTtlMode;
import io.github.flinkredis.connector.config.RedisWriteMode;
import io.github.flinkredis.connector.config.RedisWriteOptions;
import io.github.flinkredis.connector.types.RedisTypes;
import io.github.flinkredis.connector.types.spi.RedisTypeWriter;
import io.lettuce.core.ExpireArgs;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import javax.annotation.Nullable;
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
 * together with every batch after it, in order, up to {@code maxRetries} times, after the pauses of
 * {@link RedisRetryPolicy} (the connector's {@link RedisPipeline}, {@link RedisPipelinedBatches}
 * does the batches in flight, the retries and the reconnection); any other error (WRONGTYPE,
 * NOPERM, ...) fails the job with a message naming the key, the command and Redis's error. Appends
 * (RPUSH) sent again may be applied twice: at-least-once.
 */
@Internal
public class RedisSinkWriter<IN>
        implements SinkWriter<IN>, RedisPipelinedBatches.Receiver<RedisSinkWriter.Batch> {

    private static final Logger LOG = LoggerFactory.getLogger(RedisSinkWriter.class);

    /** The counter of stream entries skipped because their ID was not above the stream's last. */
    public static final String STREAM_ENTRIES_SKIPPED = "numStreamEntriesSkipped";

    private final RedisConnectionConfig connectionConfig;
    private final RedisWriteOptions options;
    private final RedisMutationSerializer<IN> serializer;

    /** The data type's commands, built once. */
    private final RedisTypeWriter typeWriter;

    /** The mutation being issued or checked, as the type writer reads it. */
    private final RedisMutationView view = new RedisMutationView();

    private final ProcessingTimeService timeService;
    private final Counter recordsSent;
    private final Counter sendErrors;
    private final Counter entriesSkipped;

    /** What happens to rows whose write Redis refuses for their own key. */
    private final RedisWriteErrors writeErrors;

    /** The mutations to send, in input order (update-befores paired with their UPSERTs). */
    private final RedisMutationBuffer buffer;

    /** The connection (a node's, or a cluster's), its retries and reconnection. */
    private final RedisPipeline pipeline;

    /** The batches in flight on {@link #pipeline}. */
    private final RedisPipelinedBatches<Batch> batches;

    private boolean timerScheduled;

    /** TTL mode {@code on-create}: PEXPIRE ... NX. */
    private final boolean ttlOnCreate;

    /** TTL mode {@code keep}: no TTL is set. */
    private final boolean ttlKept;

    /** Whether the server is known to set hash field TTLs (checked at the first one). */
    private boolean fieldExpiryChecked;

    public RedisSinkWriter(
            RedisConnectionConfig connectionConfig,
            RedisWriteOptions options,
            RedisMutationSerializer<IN> serializer,
            WriterInitContext context)
            throws IOException {
        this(connectionConfig, options, serializer, null, context);
    }

    /**
     * @param errorHandler receives the rows whose write Redis refuses for their own key, instead of
     *     {@code options}' error policy; null for the policy
     */
    public RedisSinkWriter(
            RedisConnectionConfig connectionConfig,
            RedisWriteOptions options,
            RedisMutationSerializer<IN> serializer,
            @Nullable RedisWriteErrorHandler errorHandler,
            WriterInitContext context)
            throws IOException {
        this.connectionConfig = connectionConfig;
        this.options = options;
        this.typeWriter = RedisTypes.of(options.dataType()).writer(options);
        this.buffer = new RedisMutationBuffer(typeWriter);
        this.ttlOnCreate = options.ttlMode() == RedisTtlMode.ON_CREATE;
        this.ttlKept = options.ttlMode() == RedisTtlMode.KEEP;
        this.serializer = serializer;
        this.timeService = context.getProcessingTimeService();
        SinkWriterMetricGroup metrics = context.metricGroup();
        this.recordsSent = metrics.getNumRecordsSendCounter();
        this.sendErrors = metrics.getNumRecordsSendErrorsCounter();
        this.entriesSkipped = metrics.counter(STREAM_ENTRIES_SKIPPED);
        this.writeErrors =
                new RedisWriteErrors(
                        options,
                        errorHandler,
                        metrics,
                        metrics.getNumRecordsOutErrorsCounter(),
                        context.getJobInfo().getJobId().toHexString(),
                        context.getTaskInfo().getTaskName(),
                        context.getTaskInfo().getIndexOfThisSubtask());
        try {
            serializer.open(context.asSerializationSchemaInitializationContext());
        } catch (Exception e) {
            throw new IOException("Cannot open the serializer of the Redis sink", e);
        }
        this.pipeline =
                RedisPipeline.batched(
                        connectionConfig,
                        RedisRetryPolicy.maxRetries(
                                options.maxRetries(), "option 'sink.max-retries'"),
                        "sink");
        this.batches = new RedisPipelinedBatches<>(pipeline, options.maxBatchesInFlight(), this);
        if (options.hashFieldTtl() != null) {
            checkFieldExpiry(pipeline, options.ttlMode());
            fieldExpiryChecked = true;
        }
        metrics.setCurrentSendTimeGauge(batches::lastSendTimeMillis);
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
        if (mutation.fieldTtlMillis() > 0 && !fieldExpiryChecked) {
            checkFieldTtl(mutation);
        }
        if (ttlKept && mutation.ttlMillis() > 0) {
            throw new IOException(
                    String.format(
                            "A time to live of %d ms is given for key '%s', but TTL mode 'keep'"
                                    + " (option 'sink.ttl.mode') sets none",
                            mutation.ttlMillis(), mutation.keyAsString()));
        }
        batches.collectCompleted();
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
        batches.awaitAll();
    }

    /**
     * Checks the first mutation with its own field TTL: a hash, written in mode {@code merge} or
     * {@code replace}, TTL mode not {@code keep}, to a server that sets field TTLs.
     */
    private void checkFieldTtl(RedisMutation mutation) throws IOException {
        RedisWriteOptions withFieldTtl;
        try {
            withFieldTtl =
                    options.withHashFieldTtl(
                            java.time.Duration.ofMillis(mutation.fieldTtlMillis()));
            checkWriteOptions(withFieldTtl);
        } catch (IllegalArgumentException e) {
            throw new IOException(
                    String.format(
                            "A field TTL of %d ms is given for key '%s': %s",
                            mutation.fieldTtlMillis(), mutation.keyAsString(), e.getMessage()),
                    e);
        }
        checkFieldExpiry(pipeline, options.ttlMode());
        fieldExpiryChecked = true;
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
        batches.send(new Batch(this, mutations));
    }

    /**
     * Issues the data type's commands ({@link RedisTypeWriter}) of every mutation of {@code batch},
     * with {@code PEXPIRE key ttl} (TTL mode {@code on-create}: {@code PEXPIRE key ttl NX}) after
     * an UPSERT whose commands leave the TTL to the sink.
     */
    private void issueCommands(RedisClusterAsyncCommands<byte[], byte[]> c, Batch batch) {
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
                batch.add(
                        "PEXPIRE",
                        ttlOnCreate
                                ? c.pexpire(m.key(), ttl, ExpireArgs.Builder.nx())
                                : c.pexpire(m.key(), ttl));
            }
        }
    }

    private long ttlOption() {
        return options.ttl() == null ? -1 : options.ttl().toMillis();
    }

    /**
     * The first failure among the replies of {@code batch} (all arrived), or null; writes taken as
     * done before ({@link RedisTypeWriter#writtenBefore}) are skipped, counted and logged, and rows
     * Redis refused for their own key go to the error policy ({@link RedisWriteErrors}) unless it
     * is {@code fail}.
     */
    @Override
    @Nullable
    public Failure check(Batch batch) throws InterruptedException {
        long skipped = 0;
        String firstSkipped = null;
        List<RedisWriteError> recordErrors = null;
        batch.failedRows = 0;
        for (int i = 0; i < batch.size(); i++) {
            RedisFuture<?> f = batch.reply(i);
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
                RedisFailureKind kind = RedisFailureKind.of(cause);
                if (kind == RedisFailureKind.COMMAND_ERROR
                        && writeErrors.goOn()
                        && RedisWriteErrors.isRecordError(error)) {
                    if (recordErrors == null) {
                        recordErrors = new ArrayList<>();
                    }
                    // one per row: the commands of a row come one after the other
                    if (recordErrors.isEmpty()
                            || recordErrors.get(recordErrors.size() - 1).mutation() != m) {
                        recordErrors.add(new RedisWriteError(m, batch.commandNames.get(i), error));
                    }
                    continue;
                }
                String message =
                        String.format(
                                "%s of key '%s' failed on Redis at %s: %s",
                                batch.commandNames.get(i),
                                m.keyAsString(),
                                connectionConfig.endpoint(),
                                error);
                return new Failure(message, kind != RedisFailureKind.COMMAND_ERROR);
            }
        }
        if (recordErrors != null) {
            Failure failure = writeErrors.handle(recordErrors, pipeline);
            if (failure != null) {
                return failure;
            }
            batch.failedRows = recordErrors.size();
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
    public void written(Batch batch) {
        recordsSent.inc(batch.mutations.size() - batch.failedRows);
    }

    @Override
    public void failed(Batch batch) {
        sendErrors.inc(batch.mutations.size());
    }

    @Override
    public void close() throws Exception {
        pipeline.close();
    }

    /** Mutations sent in one pipelined write, with their commands' replies. */
    static final class Batch extends RedisPipelinedBatches.Batch
            implements RedisTypeWriter.Replies {
        final RedisSinkWriter<?> writer;
        final List<RedisMutation> mutations;

        /** For each command sent: its mutation and its name (for messages); no object each. */
        final List<RedisMutation> commandMutations = new ArrayList<>();

        final List<String> commandNames = new ArrayList<>();

        /** The mutation whose commands are being issued. */
        RedisMutation current;

        /** Rows of the last send that Redis refused and the error policy took. */
        int failedRows;

        Batch(RedisSinkWriter<?> writer, List<RedisMutation> mutations) {
            this.writer = writer;
            this.mutations = mutations;
        }

        @Override
        protected void issue(RedisClusterAsyncCommands<byte[], byte[]> commands) {
            writer.issueCommands(commands, this);
        }

        @Override
        protected void clear() {
            commandMutations.clear();
            commandNames.clear();
        }

        @Override
        public void add(String command, RedisFuture<?> future) {
            add(future);
            commandMutations.add(current);
            commandNames.add(command);
        }
    }

    /**
     * Checks, before the job runs, that the data type of {@code options} is written in their write
     * mode (see {@link io.github.flinkredis.connector.types.spi.RedisTypeHandler#takesWriteMode})
     * and that a field TTL is given only for a hash written in mode {@code merge} or {@code
     * replace}, with a TTL mode other than {@code keep}.
     *
     * @throws IllegalArgumentException naming what does not apply and to what
     */
    public static void checkWriteOptions(RedisWriteOptions options) {
        RedisWriteMode mode = options.writeMode();
        if (!RedisTypes.of(options.dataType()).takesWriteMode(mode)) {
            throw new IllegalArgumentException(
                    String.format(
                            "Write mode '%s' applies to %s tables, not '%s'.",
                            mode,
                            RedisTypes.sentence(
                                    RedisTypes.where(t -> t.takesWriteMode(mode)), " and "),
                            options.dataType()));
        }
        if (options.hashFieldTtl() == null) {
            return;
        }
        if (options.dataType() != RedisDataType.HASH) {
            throw new IllegalArgumentException(
                    "A field TTL applies to hash tables, not '" + options.dataType() + "'.");
        }
        if (mode == RedisWriteMode.SKIP_EXISTING) {
            throw new IllegalArgumentException(
                    "A field TTL applies to the write modes 'merge' and 'replace', not"
                            + " 'skip-existing'.");
        }
        if (options.ttlMode() == RedisTtlMode.KEEP) {
            throw new IllegalArgumentException(
                    "TTL mode 'keep' sets no time to live, but a field TTL is given.");
        }
    }

    /**
     * Checks that the server sets hash field TTLs: Redis 7.4+ ({@code HPEXPIRE}); 8.0+ in TTL mode
     * {@code on-create} ({@code HSETEX ... KEEPTTL}). Asks {@code INFO server}.
     *
     * @throws IOException naming the option, the server and its version
     */
    private static void checkFieldExpiry(RedisPipeline pipeline, RedisTtlMode mode)
            throws IOException {
        String info = pipeline.await(pipeline.commands().info("server"), "INFO server");
        String version = RedisServerVersion.of(info);
        int[] needed = mode == RedisTtlMode.ON_CREATE ? new int[] {8, 0} : new int[] {7, 4};
        if (!RedisServerVersion.atLeast(version, needed[0], needed[1])) {
            throw new IOException(
                    String.format(
                            "Option 'sink.hash.field-ttl' needs Redis %d.%d or later (%s), but Redis"
                                    + " at %s is version %s.",
                            needed[0],
                            needed[1],
                            mode == RedisTtlMode.ON_CREATE
                                    ? "HSETEX ... KEEPTTL, with 'sink.ttl.mode' = 'on-create'"
                                    : "HPEXPIRE",
                            pipeline.endpoint(),
                            version));
        }
    }
}
