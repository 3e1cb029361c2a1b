package io.github.flinkredis.connector.sink;

import io.github.flinkredis.connector.client.RedisPipeline;
import io.github.flinkredis.connector.client.RedisRetryPolicy;
import io.github.flinkredis.connector.config.RedisConnectionConfig;
import io.github.flinkredis.connector.types.arrow.RedisArrowBatchWriter;
import io.github.flinkredis.connector.types.arrow.RedisArrowCodec;
import io.github.flinkredis.connector.types.arrow.RedisArrowManifest;
import io.github.flinkredis.connector.types.arrow.RedisArrowTypes;
import io.lettuce.core.ScriptOutputType;
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
 * never part of one. An overwritten snapshot's batch keys expire after {@code retentionMillis}, so
 * that reads begun on it can finish.
 *
 * <p>A write id is made per job (when it is planned): a job restarted from the start writes the
 * same keys again. Batch keys of a job that failed before publishing are not removed (they are in
 * no manifest).
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
    private final long retentionMillis;

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
     * @param retentionMillis how long an overwritten snapshot's batch keys live on
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
            long retentionMillis) {
        this.connectionConfig = connectionConfig;
        this.manifestKey = manifestKey;
        this.rowType = rowType;
        this.codec = codec;
        this.batchRows = batchRows;
        this.batchBytes = batchBytes;
        this.overwrite = overwrite;
        this.writeId = writeId;
        this.retentionMillis = retentionMillis;
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
        pipeline.await(pipeline.commands().set(bytes(key), value), "SET " + key);
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
            publish(p, batches);
            p.await(p.commands().del(bytes(staging)), "DEL " + staging);
        } finally {
            p.close();
        }
    }

    /** How often a publish reads the manifest again after another write replaced it meanwhile. */
    private static final int PUBLISH_ATTEMPTS = 10;

    /**
     * Replaces the manifest: reads it, builds the next one and sets it where the key still holds
     * what was read (a script), reading again where another write published in between; then lets
     * an overwritten snapshot's batch keys expire.
     */
    private void publish(RedisPipeline p, List<RedisArrowManifest.Batch> batches)
            throws IOException {
        String schema = RedisArrowManifest.encodeSchema(RedisArrowTypes.schemaOf(rowType));
        for (int attempt = 1; attempt <= PUBLISH_ATTEMPTS; attempt++) {
            byte[] old = p.await(p.commands().get(bytes(manifestKey)), "GET " + manifestKey);
            RedisArrowManifest previous =
                    old == null ? null : RedisArrowManifest.parse(old, manifestKey);
            RedisArrowManifest next = next(previous, schema, batches);
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
                if (overwrite && previous != null) {
                    expire(p, previous.batches());
                }
                return;
            }
        }
        throw new IOException(
                String.format(
                        "Columnar table '%s' was replaced by other writes %d times while this one"
                                + " (%s) published: not published; its batches stay unlisted",
                        manifestKey, PUBLISH_ATTEMPTS, writeId));
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
        List<io.lettuce.core.RedisFuture<Boolean>> expiries = new ArrayList<>();
        for (RedisArrowManifest.Batch b : old) {
            expiries.add(p.commands().pexpire(bytes(b.key()), retentionMillis));
        }
        for (int i = 0; i < expiries.size(); i++) {
            p.await(expiries.get(i), "PEXPIRE " + old.get(i).key());
        }
    }

    private String stagingKey() {
        return manifestKey + ":staging:" + writeId;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
