package io.github.flinkredis.connector.types.arrow;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.util.List;
import org.apache.arrow.compression.CommonsCompressionFactory;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.compression.NoCompressionCodec;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.ipc.message.IpcOption;
import org.apache.flink.annotation.Internal;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;

/**
 * Rows of one {@link RowType} turned into the value of one batch key of a columnar table: an Arrow
 * IPC stream (the schema of {@link RedisArrowTypes#schemaOf}, then one record batch of the rows
 * {@link #add}ed since the last {@link #finish}), its buffers compressed with the {@link
 * RedisArrowCodec}. Any Arrow IPC stream reader (Arrow Java's {@code ArrowStreamReader}, pyarrow's
 * {@code pa.ipc.open_stream}) reads it.
 *
 * <p>Not thread-safe; {@link #close} releases the Arrow buffers (off-heap memory).
 */
@Internal
public final class RedisArrowBatchWriter implements AutoCloseable {

    private final RedisArrowCodec codec;
    private final BufferAllocator allocator;
    private final VectorSchemaRoot root;
    private final RedisArrowValues.Writer[] columns;
    private final RowData.FieldGetter[] getters;
    private int rows;

    /**
     * @param rowType the table's rows
     * @param codec the compression of the batches' buffers
     * @throws org.apache.flink.table.api.ValidationException for a column type without an Arrow
     *     mapping
     */
    public RedisArrowBatchWriter(RowType rowType, RedisArrowCodec codec) {
        this.codec = codec;
        this.allocator = new RootAllocator();
        this.root = VectorSchemaRoot.create(RedisArrowTypes.schemaOf(rowType), allocator);
        List<LogicalType> types = rowType.getChildren();
        List<FieldVector> vectors = root.getFieldVectors();
        this.columns = new RedisArrowValues.Writer[types.size()];
        this.getters = new RowData.FieldGetter[types.size()];
        for (int c = 0; c < columns.length; c++) {
            columns[c] = RedisArrowValues.writer(vectors.get(c), types.get(c));
            getters[c] = RowData.createFieldGetter(types.get(c), c);
        }
        root.allocateNew();
    }

    /** Appends a row to the batch. */
    public void add(RowData row) {
        for (int c = 0; c < columns.length; c++) {
            columns[c].write(rows, getters[c].getFieldOrNull(row));
        }
        rows++;
    }

    /** The rows added since the last {@link #finish}. */
    public int rows() {
        return rows;
    }

    /**
     * The bytes of the vectors' buffers holding the rows added so far (before compression): for
     * bounding a batch's size. Sets the vectors' value count first: without it they report 0.
     */
    public long bufferBytes() {
        if (rows == 0) {
            return 0;
        }
        root.setRowCount(rows);
        long bytes = 0;
        for (FieldVector v : root.getFieldVectors()) {
            bytes += v.getBufferSize();
        }
        return bytes;
    }

    /**
     * The IPC stream of the rows added since the last call, and starts a new batch.
     *
     * @throws IOException if the stream cannot be written (e.g. a compression failure)
     */
    public byte[] finish() throws IOException {
        root.setRowCount(rows);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ArrowStreamWriter writer =
                new ArrowStreamWriter(
                        root,
                        null,
                        Channels.newChannel(out),
                        IpcOption.DEFAULT,
                        codec == RedisArrowCodec.NONE
                                ? NoCompressionCodec.Factory.INSTANCE
                                : CommonsCompressionFactory.INSTANCE,
                        codec.type())) {
            writer.start();
            writer.writeBatch();
            writer.end();
        }
        rows = 0;
        root.clear();
        root.allocateNew();
        return out.toByteArray();
    }

    @Override
    public void close() {
        root.close();
        allocator.close();
    }
}
