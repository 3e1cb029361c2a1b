package io.github.flinkredis.connector.sink;

import io.github.flinkredis.connector.client.RedisPipeline;
import io.github.flinkredis.connector.client.RedisRetryPolicy;
import io.github.flinkredis.connector.config.RedisConnectionConfig;
import io.github.flinkredis.connector.types.arrow.RedisArrowBatchWriter;
import io.github.flinkredis.connector.types.arrow.RedisArrowCodec;
import io.github.flinkredis.connector.types.arrow.RedisArrowManifest;
import io.github.flinkredis.connector.types.arrow.RedisArrowTypes;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.io.FinalizeOnMaster;
import org.apache.flink.api.common.io.OutputFormat;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.RowType;

/**
 * The writer of a columnar table (bounded jobs): each parallel instance turns its rows into Arrow
 * record batches ({@link RedisArrowBatchWriter}, {@code batchRows} rows or {@code batchBytes} of
 * buffers each) and {@code SET}s each as one batch key {@code <manifest key>:<write
 * id>:<subtask>-<n>}; when it closes, it lists its batches in the write's staging hash ({@code
 * <manifest key>:staging:<write id>}, one field per subtask, {@code HSET}). When every instance has
 * closed, {@link #finalizeGlobal} (on Flink's JobManager, once) publishes the snapshot: it reads
 * the staging hash, builds the {@link RedisArrowManifest} (the new batches, or, appending, the old
 * snapshot's and the new ones) and replaces the manifest key's value in one step, only if it still
 * holds what it read (a script comparing the value): a reader sees the old snapshot or the new one,
 * never part of one. An overwritten snapshot's batch keys expire after {@link
 * Lifetimes#retentionMillis}, so that reads begun on it can finish.
 *
 * <p>Until the write publishes, its batch keys and staging hash carry a TTL ({@link
 * Lifetimes#pendingMillis}, {@code SET ... PX}, {@code PEXPIRE}): a write that fails before it
 * publishes leaves nothing behind once that has passed. Publishing first checks that every batch
 * key is still there ({@code PTTL}), then removes their TTL ({@code PERSIST}), then replaces the
 * manifest; where the manifest is known not to have been replaced (other columns, other writes
 * replacing it again and again), the batch keys get their TTL back; where the script's reply is
 * lost, they keep none (the write may have been published).
 *
 * <p>A write id is made per job (when it is planned): a job restarted from the start writes the
 * same keys again.
 */
@Internal
public final class RedisArrowOutputFormat implements OutputFormat<RowData>, FinalizeOnMaster {

    private static final long serialVersionUID = 1L;

    private static final String OWNER = "columnar table writer";

    /** Replaces KEYS[1]'s value with ARGV[2] if it holds ARGV[1] ("" for none): 1, else 0. */
    private static final String PUBLISH =
            "local v = redis.call('GET', KEYS[1]) "
                    + "if (v == false and ARGV[1] == '') or v == ARGV[1] then "
                    + "redis.call('SET', KEYS[1], ARGV[2]) return 1 end return 0";

    private final RedisConnectionConfig connectionConfig;
    private final String manifestKey;
    private final RowType rowType;
    private final RedisArrowCodec codec;
    private final int batchRows;
    private final long batchBytes;
    private final boolean overwrite;
    private final String writeId;
    private final Lifetimes lifetimes;

    /**
     * How long the keys of a write live: {@code pendingMillis}, the TTL of its batch keys and
     * staging hash until it publishes; {@code retentionMillis}, how long the batch keys of a
     * snapshot it overwrites live on.
     */
    public record Lifetimes(long pendingMillis, long retentionMillis)
            implements java.io.Serializable {}

    private transient RedisPipeline pipeline;
    private transient RedisArrowBatchWriter writer;
    private transient int subtask;
    private transient List<RedisArrowManifest.Batch> written;

    /**
     * @param manifestKey the table's manifest key (its {@code key.prefix})
     * @param rowType the table's rows
     * @param batchRows rows per batch at most
     * @param batchBytes bytes of Arrow buffers per batch at most (before compression)
     * @param overwrite whether the write replaces the snapshot (INSERT OVERWRITE) or adds to it
     * @param writeId the write's id, the same in every parallel instance
     * @param lifetimes the TTL of the write's keys until it publishes, and how long an overwritten
     *     snapshot's batch keys live on
     */
    public RedisArrowOutputFormat(
            RedisConnectionConfig connectionConfig,
            String manifestKey,
            RowType rowType,
            RedisArrowCodec codec,
            int batchRows,
            long batchBytes,
            boolean overwrite,
            String writeId,
            Lifetimes lifetimes) {
        this.connectionConfig = connectionConfig;
        this.manifestKey = manifestKey;
        this.rowType = rowType;
        this.codec = codec;
        this.batchRows = batchRows;
        this.batchBytes = batchBytes;
        this.overwrite = overwrite;
        this.writeId = writeId;
        this.lifetimes = lifetimes;
    }

    @Override
    public void configure(Configuration parameters) {}

    @Override
    public void open(InitializationContext context) throws IOException {
        subtask = context.getTaskNumber();
        written = new ArrayList<>();
        writer = new RedisArrowBatchWriter(rowType, codec);
        pipeline = connect();
    }

    private RedisPipeline connect() throws IOException {
        return RedisPipeline.batchedOrFail(
                connectionConfig,
                RedisRetryPolicy.maxRetries(0, "a columnar table's write"),
                OWNER);
    }

    @Override
    public void writeRecord(RowData row) throws IOException {
        writer.add(row);
        if (writer.rows() >= batchRows || writer.bufferBytes() >= batchBytes) {
            writeBatch();
        }
    }

    private void writeBatch() throws IOException {
        long rows = writer.rows();
        byte[] value = writer.finish();
        String key = manifestKey + ":" + writeId + ":" + subtask + "-" + written.size();
        pipeline.await(
                pipeline.commands()
                        .set(bytes(key), value, SetArgs.Builder.px(lifetimes.pendingMillis())),
                "SET " + key + " PX");
        written.add(new RedisArrowManifest.Batch(key, rows, value.length, codec));
    }

    @Override
    public void close() throws IOException {
        if (writer == null) {
            return;
        }
        try {
            if (writer.rows() > 0) {
                writeBatch();
            }
            RedisArrowManifest part = new RedisArrowManifest(writeId, codec, "", written);
            String staging = stagingKey();
            pipeline.await(
                    pipeline.commands().hset(bytes(staging), bytes("" + subtask), part.toJson()),
                    "HSET " + staging);
            pipeline.await(
                    pipeline.commands().pexpire(bytes(staging), lifetimes.pendingMillis()),
                    "PEXPIRE " + staging);
        } finally {
            writer.close();
            writer = null;
            pipeline.close();
        }
    }

    /**
     * Publishes the write: the new manifest replaces the old one where the manifest key still holds
     * what was read; the staging hash is deleted; an overwritten snapshot's batches expire.
     *
     * @throws IOException if a parallel instance's batches are missing, the table's columns differ
     *     from those of the snapshot appended to, or other writes kept replacing the manifest
     */
    @Override
    public void finalizeGlobal(FinalizationContext context) throws IOException {
        RedisPipeline p = connect();
        try {
            String staging = stagingKey();
            Map<byte[], byte[]> parts =
                    p.await(p.commands().hgetall(bytes(staging)), "HGETALL " + staging);
            Map<Integer, RedisArrowManifest> bySubtask = new TreeMap<>();
            for (Map.Entry<byte[], byte[]> e : parts.entrySet()) {
                bySubtask.put(
                        Integer.parseInt(new String(e.getKey(), StandardCharsets.UTF_8)),
                        RedisArrowManifest.parse(e.getValue(), staging));
            }
            if (bySubtask.size() != context.getParallelism()) {
                throw new IOException(
                        String.format(
                                "The write %s of columnar table '%s' has the batches of %d of its"
                                        + " %d writers in '%s': not published",
                                writeId,
                                manifestKey,
                                bySubtask.size(),
                                context.getParallelism(),
                                staging));
            }
            List<RedisArrowManifest.Batch> batches = new ArrayList<>();
            bySubtask.values().forEach(m -> batches.addAll(m.batches()));
            persist(p, batches);
            RedisArrowManifest replaced;
            try {
                replaced = publish(p, batches);
            } catch (NotPublishedException e) {
                // known not to be in any manifest: the batch keys may expire again
                rearm(p, batches, e);
                throw e;
            }
            if (overwrite && replaced != null) {
                expire(p, replaced.batches());
            }
            p.await(p.commands().del(bytes(staging)), "DEL " + staging);
        } finally {
            p.close();
        }
    }

    /** How often a publish reads the manifest again after another write replaced it meanwhile. */
    private static final int PUBLISH_ATTEMPTS = 10;

    /**
     * A failure of a publish that is known not to have replaced the manifest (as opposed to one
     * whose script may have run, its reply lost).
     */
    private static final class NotPublishedException extends IOException {
        private static final long serialVersionUID = 1L;

        NotPublishedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Replaces the manifest: reads it, builds the next one and sets it where the key still holds
     * what was read (a script), reading again where another write published in between. Returns the
     * manifest it replaced (null for none).
     *
     * @throws NotPublishedException where the manifest was not replaced: it could not be read, the
     *     columns differ, or other writes replaced it {@value #PUBLISH_ATTEMPTS} times
     * @throws IOException where the script's reply was lost: the write may have been published
     */
    private RedisArrowManifest publish(RedisPipeline p, List<RedisArrowManifest.Batch> batches)
            throws IOException {
        String schema = RedisArrowManifest.encodeSchema(RedisArrowTypes.schemaOf(rowType));
        for (int attempt = 1; attempt <= PUBLISH_ATTEMPTS; attempt++) {
            byte[] old;
            RedisArrowManifest previous;
            RedisArrowManifest next;
            try {
                old = p.await(p.commands().get(bytes(manifestKey)), "GET " + manifestKey);
                previous = old == null ? null : RedisArrowManifest.parse(old, manifestKey);
                next = next(previous, schema, batches);
            } catch (IOException e) {
                throw new NotPublishedException(e.getMessage(), e);
            }
            Long replaced =
                    p.await(
                            p.commands()
                                    .eval(
                                            PUBLISH,
                                            ScriptOutputType.INTEGER,
                                            new byte[][] {bytes(manifestKey)},
                                            old == null ? new byte[0] : old,
                                            next.toJson()),
                            "EVAL (publish) " + manifestKey);
            if (replaced != null && replaced == 1) {
                return previous;
            }
        }
        throw new NotPublishedException(
                String.format(
                        "Columnar table '%s' was replaced by other writes %d times while this one"
                                + " (%s) published: not published; its batches stay unlisted",
                        manifestKey, PUBLISH_ATTEMPTS, writeId),
                null);
    }

    /** The manifest after this write: its batches alone, or appended to {@code previous}'s. */
    private RedisArrowManifest next(
            RedisArrowManifest previous, String schema, List<RedisArrowManifest.Batch> batches)
            throws IOException {
        if (overwrite || previous == null) {
            return new RedisArrowManifest(writeId, codec, schema, batches);
        }
        if (!previous.schema().equals(schema)) {
            throw new IOException(
                    String.format(
                            "Columnar table '%s' holds rows of other columns than %s: INSERT"
                                    + " OVERWRITE it to replace them",
                            manifestKey, rowType));
        }
        return previous.append(writeId, codec, batches);
    }

    private void expire(RedisPipeline p, List<RedisArrowManifest.Batch> old) throws IOException {
        expire(p, old, lifetimes.retentionMillis());
    }

    private static void expire(RedisPipeline p, List<RedisArrowManifest.Batch> keys, long millis)
            throws IOException {
        List<RedisFuture<Boolean>> expiries = new ArrayList<>();
        for (RedisArrowManifest.Batch b : keys) {
            expiries.add(p.commands().pexpire(bytes(b.key()), millis));
        }
        for (int i = 0; i < expiries.size(); i++) {
            p.await(expiries.get(i), "PEXPIRE " + keys.get(i).key());
        }
    }

    /**
     * Removes the TTL of the write's batch keys, after checking that none has expired: the snapshot
     * about to be published lists them all.
     *
     * @throws IOException naming a batch key that is gone and option {@code sink.arrow.pending-ttl}
     */
    private void persist(RedisPipeline p, List<RedisArrowManifest.Batch> batches)
            throws IOException {
        List<RedisFuture<Long>> ttls = new ArrayList<>();
        for (RedisArrowManifest.Batch b : batches) {
            ttls.add(p.commands().pttl(bytes(b.key())));
        }
        for (int i = 0; i < ttls.size(); i++) {
            Long ttl = p.await(ttls.get(i), "PTTL " + batches.get(i).key());
            if (ttl != null && ttl == -2) {
                throw gone(batches.get(i));
            }
        }
        List<RedisFuture<Boolean>> persisted = new ArrayList<>();
        for (RedisArrowManifest.Batch b : batches) {
            persisted.add(p.commands().persist(bytes(b.key())));
        }
        for (int i = 0; i < persisted.size(); i++) {
            RedisArrowManifest.Batch b = batches.get(i);
            if (!Boolean.TRUE.equals(p.await(persisted.get(i), "PERSIST " + b.key()))
                    && p.await(p.commands().exists(bytes(b.key())), "EXISTS " + b.key()) == 0) {
                IOException e = gone(b);
                rearm(p, batches, e);
                throw e;
            }
        }
    }

    private IOException gone(RedisArrowManifest.Batch b) {
        return new IOException(
                String.format(
                        "Batch key '%s' of the write %s of columnar table '%s' expired before the"
                                + " write published (its TTL until then: 'sink.arrow.pending-ttl'"
                                + " = %d ms): not published",
                        b.key(), writeId, manifestKey, lifetimes.pendingMillis()));
    }

    /** Gives the write's batch keys their pending TTL back, after {@code failure}. */
    private void rearm(RedisPipeline p, List<RedisArrowManifest.Batch> batches, Exception failure) {
        try {
            expire(p, batches, lifetimes.pendingMillis());
        } catch (IOException | RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    private String stagingKey() {
        return manifestKey + ":staging:" + writeId;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
