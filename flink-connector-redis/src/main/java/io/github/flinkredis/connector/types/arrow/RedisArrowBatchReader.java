package io.github.flinkredis.connector.types.arrow;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.compression.CommonsCompressionFactory;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.flink.annotation.Internal;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;

/**
 * The rows of a batch key's value (an Arrow IPC stream, as {@link RedisArrowBatchWriter} writes it,
 * or any writer of the same schema): the stream's schema must hold each column of the table by
 * name, of the Arrow type {@link RedisArrowTypes} maps the column's type to; other fields of the
 * stream are not read. Buffers compressed with ZSTD or LZ4_FRAME are decompressed.
 *
 * <p>Not thread-safe; {@link #close} releases the Arrow buffers (off-heap memory).
 */
@Internal
public final class RedisArrowBatchReader implements AutoCloseable {

    private final RowType rowType;
    private final Schema expected;
    private final BufferAllocator allocator = new RootAllocator();

    /**
     * @param rowType the columns to read
     */
    public RedisArrowBatchReader(RowType rowType) {
        this.rowType = rowType;
        this.expected = RedisArrowTypes.schemaOf(rowType);
    }

    /**
     * The rows of every record batch of {@code value}.
     *
     * @param source names the value in errors (e.g. the batch key)
     * @throws IOException naming {@code source} if the value is no Arrow IPC stream, or its schema
     *     lacks a column or holds it as another type
     */
    public List<RowData> read(byte[] value, String source) throws IOException {
        List<RowData> rows = new ArrayList<>();
        try (ArrowStreamReader reader =
                new ArrowStreamReader(
                        new ByteArrayInputStream(value),
                        allocator,
                        CommonsCompressionFactory.INSTANCE)) {
            VectorSchemaRoot root = reader.getVectorSchemaRoot();
            RedisArrowValues.Reader[] columns = columns(root, source);
            while (reader.loadNextBatch()) {
                for (int i = 0; i < root.getRowCount(); i++) {
                    GenericRowData row = new GenericRowData(columns.length);
                    for (int c = 0; c < columns.length; c++) {
                        row.setField(c, columns[c].read(i));
                    }
                    rows.add(row);
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new IOException(
                    String.format(
                            "Cannot read %s (%,d bytes) as an Arrow IPC stream of the table's"
                                    + " columns %s: %s",
                            source, value.length, expected, e.getMessage()),
                    e);
        }
        return rows;
    }

    /** The readers of the table's columns in {@code root}, found by name and checked by type. */
    private RedisArrowValues.Reader[] columns(VectorSchemaRoot root, String source)
            throws IOException {
        List<LogicalType> types = rowType.getChildren();
        RedisArrowValues.Reader[] columns = new RedisArrowValues.Reader[types.size()];
        for (int c = 0; c < columns.length; c++) {
            Field want = expected.getFields().get(c);
            FieldVector vector = root.getVector(want.getName());
            if (vector == null) {
                throw new IOException(
                        String.format(
                                "%s has no column '%s' (it has %s)",
                                source, want.getName(), root.getSchema().getFields()));
            }
            if (!sameTypes(vector.getField(), want)) {
                throw new IOException(
                        String.format(
                                "%s holds column '%s' as %s, where the table's %s needs %s",
                                source,
                                want.getName(),
                                vector.getField(),
                                types.get(c).asSummaryString(),
                                want));
            }
            columns[c] = RedisArrowValues.reader(vector, types.get(c));
        }
        return columns;
    }

    /** Whether two fields have the same Arrow types, their children's too (names aside). */
    private static boolean sameTypes(Field actual, Field wanted) {
        if (!actual.getType().equals(wanted.getType())
                || actual.getChildren().size() != wanted.getChildren().size()) {
            return false;
        }
        for (int i = 0; i < actual.getChildren().size(); i++) {
            if (!sameTypes(actual.getChildren().get(i), wanted.getChildren().get(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        allocator.close();
    }
}
