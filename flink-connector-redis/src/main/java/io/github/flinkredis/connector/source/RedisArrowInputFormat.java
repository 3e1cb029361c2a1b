package io.github.flinkredis.connector.source;

import io.github.flinkredis.connector.client.RedisPipeline;
import io.github.flinkredis.connector.client.RedisRetryPolicy;
import io.github.flinkredis.connector.config.RedisConnectionConfig;
import io.github.flinkredis.connector.types.arrow.RedisArrowBatchReader;
import io.github.flinkredis.connector.types.arrow.RedisArrowManifest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.io.DefaultInputSplitAssigner;
import org.apache.flink.api.common.io.RichInputFormat;
import org.apache.flink.api.common.io.statistics.BaseStatistics;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.io.InputSplit;
import org.apache.flink.core.io.InputSplitAssigner;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.RowType;

/**
 * The bounded read of a snapshot of a columnar table ({@link #snapshot}: {@code GET} of the
 * manifest key when the query is planned): each of its batch keys is an input split, spread over
 * the parallel readers; a reader {@code GET}s its batch and decodes the selected columns ({@link
 * RedisArrowBatchReader}). A table without a manifest key reads as empty. With a LIMIT of n rows,
 * only the first batches that hold n rows between them (by the manifest's row counts) are read,
 * each up to n rows.
 *
 * <p>A batch key that is gone (its snapshot overwritten and its retention past), or whose rows are
 * not as many as the manifest says, fails the read, naming it.
 */
@Internal
public final class RedisArrowInputFormat extends RichInputFormat<RowData, InputSplit>
        implements ResultTypeQueryable<RowData> {

    private static final long serialVersionUID = 1L;

    private static final String OWNER = "columnar table reader";

    /** A batch key of the snapshot read. */
    public static final class BatchSplit implements InputSplit {
        private static final long serialVersionUID = 1L;
        private final int number;
        private final String key;
        private final String writeId;
        private final long rows;

        BatchSplit(int number, String key, String writeId, long rows) {
            this.number = number;
            this.key = key;
            this.writeId = writeId;
            this.rows = rows;
        }

        @Override
        public int getSplitNumber() {
            return number;
        }

        @Override
        public String toString() {
            return "batch key '" + key + "'";
        }
    }

    private final RedisConnectionConfig connectionConfig;
    private final String manifestKey;
    @javax.annotation.Nullable private final RedisArrowManifest manifest;
    private final RowType rowType;
    private final long limit;
    private final TypeInformation<RowData> producedType;

    private transient RedisPipeline pipeline;
    private transient RedisArrowBatchReader reader;
    private transient Iterator<RowData> rows;
    private transient long emitted;

    /**
     * @param manifestKey the table's manifest key
     * @param manifest the snapshot to read ({@link #snapshot}), or null for none
     * @param rowType the columns to read (by name)
     * @param limit the rows the query needs at most (LIMIT pushdown), or -1
     */
    public RedisArrowInputFormat(
            RedisConnectionConfig connectionConfig,
            String manifestKey,
            @javax.annotation.Nullable RedisArrowManifest manifest,
            RowType rowType,
            long limit,
            TypeInformation<RowData> producedType) {
        this.connectionConfig = connectionConfig;
        this.manifestKey = manifestKey;
        this.manifest = manifest;
        this.rowType = rowType;
        this.limit = limit;
        this.producedType = producedType;
    }

    @Override
    public void configure(Configuration parameters) {}

    @Override
    public BaseStatistics getStatistics(BaseStatistics cachedStatistics) {
        return cachedStatistics;
    }

    /**
     * The snapshot a columnar table holds now: {@code GET} of its manifest key; null where there is
     * none (an empty table).
     *
     * @throws IOException if Redis cannot be reached, or the key holds no manifest
     */
    @javax.annotation.Nullable
    public static RedisArrowManifest snapshot(
            RedisConnectionConfig connectionConfig, String manifestKey) throws IOException {
        RedisPipeline p = connect(connectionConfig);
        try {
            byte[] value = p.await(p.commands().get(bytes(manifestKey)), "GET " + manifestKey);
            return value == null ? null : RedisArrowManifest.parse(value, manifestKey);
        } finally {
            p.close();
        }
    }

    /**
     * The snapshot's batch keys: all of them, or with a LIMIT of n the first ones whose rows add up
     * to n (each batch's row count is checked when it is read).
     */
    @Override
    public InputSplit[] createInputSplits(int minNumSplits) {
        if (manifest == null) {
            return new InputSplit[0];
        }
        List<InputSplit> splits = new ArrayList<>();
        long rows = 0;
        for (RedisArrowManifest.Batch b : manifest.batches()) {
            if (limit >= 0 && rows >= limit) {
                break;
            }
            splits.add(new BatchSplit(splits.size(), b.key(), manifest.writeId(), b.rows()));
            rows += b.rows();
        }
        return splits.toArray(new InputSplit[0]);
    }

    @Override
    public InputSplitAssigner getInputSplitAssigner(InputSplit[] inputSplits) {
        return new DefaultInputSplitAssigner(inputSplits);
    }

    private static RedisPipeline connect(RedisConnectionConfig connectionConfig)
            throws IOException {
        return RedisPipeline.batchedOrFail(
                connectionConfig, RedisRetryPolicy.maxRetries(0, "a columnar table's read"), OWNER);
    }

    @Override
    public void openInputFormat() throws IOException {
        pipeline = connect(connectionConfig);
        reader = new RedisArrowBatchReader(rowType);
    }

    /**
     * Reads and decodes the split's batch.
     *
     * @throws IOException if the key is gone or holds no batch of the table's columns
     */
    @Override
    public void open(InputSplit split) throws IOException {
        BatchSplit batch = (BatchSplit) split;
        byte[] value =
                pipeline.await(pipeline.commands().get(bytes(batch.key)), "GET " + batch.key);
        if (value == null) {
            throw new IOException(
                    String.format(
                            "Batch key '%s' of columnar table '%s' (the snapshot written by %s) is"
                                    + " gone: the table was overwritten while this job read it,"
                                    + " longer ago than the old batches are kept",
                            batch.key, manifestKey, batch.writeId));
        }
        List<RowData> read = reader.read(value, "batch key '" + batch.key + "'");
        if (read.size() != batch.rows) {
            throw new IOException(
                    String.format(
                            "Batch key '%s' of columnar table '%s' holds %d rows where its"
                                    + " manifest says %d: the manifest does not describe this"
                                    + " batch",
                            batch.key, manifestKey, read.size(), batch.rows));
        }
        rows = read.iterator();
        emitted = 0;
    }

    @Override
    public boolean reachedEnd() {
        return !rows.hasNext() || (limit >= 0 && emitted >= limit);
    }

    @Override
    public RowData nextRecord(RowData reuse) {
        emitted++;
        return rows.next();
    }

    @Override
    public void close() {
        rows = null;
    }

    @Override
    public void closeInputFormat() {
        if (reader != null) {
            reader.close();
            reader = null;
        }
        if (pipeline != null) {
            pipeline.close();
            pipeline = null;
        }
    }

    @Override
    public TypeInformation<RowData> getProducedType() {
        return producedType;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
