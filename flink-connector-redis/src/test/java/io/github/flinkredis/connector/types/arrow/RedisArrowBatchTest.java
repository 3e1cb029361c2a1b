package io.github.flinkredis.connector.types.arrow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampMicroVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.GenericMapData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.data.conversion.DataStructureConverter;
import org.apache.flink.table.data.conversion.DataStructureConverters;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Batches of a columnar table: every column type, with NULLs and nested values, written and read
 * back under each codec (compared as external rows); the bytes read by plain Arrow Java, and a
 * stream written with plain Arrow Java read by the connector; foreign bytes and other schemas
 * refused naming the key and the column.
 */
class RedisArrowBatchTest {

    private static final DataType TABLE =
            DataTypes.ROW(
                    DataTypes.FIELD("id", DataTypes.BIGINT().notNull()),
                    DataTypes.FIELD("flag", DataTypes.BOOLEAN()),
                    DataTypes.FIELD("tiny", DataTypes.TINYINT()),
                    DataTypes.FIELD("small", DataTypes.SMALLINT()),
                    DataTypes.FIELD("n", DataTypes.INT()),
                    DataTypes.FIELD("f", DataTypes.FLOAT()),
                    DataTypes.FIELD("d", DataTypes.DOUBLE()),
                    DataTypes.FIELD("amount", DataTypes.DECIMAL(38, 10)),
                    DataTypes.FIELD("name", DataTypes.STRING()),
                    DataTypes.FIELD("code", DataTypes.CHAR(3)),
                    DataTypes.FIELD("raw", DataTypes.BYTES()),
                    DataTypes.FIELD("day", DataTypes.DATE()),
                    DataTypes.FIELD("at", DataTypes.TIME(3)),
                    DataTypes.FIELD("ts", DataTypes.TIMESTAMP(3)),
                    DataTypes.FIELD("ts6", DataTypes.TIMESTAMP(6)),
                    DataTypes.FIELD("ts9", DataTypes.TIMESTAMP(9)),
                    DataTypes.FIELD("ltz", DataTypes.TIMESTAMP_LTZ(6)),
                    DataTypes.FIELD("tags", DataTypes.ARRAY(DataTypes.STRING())),
                    DataTypes.FIELD(
                            "counts", DataTypes.MAP(DataTypes.STRING(), DataTypes.BIGINT())),
                    DataTypes.FIELD(
                            "address",
                            DataTypes.ROW(
                                    DataTypes.FIELD("city", DataTypes.STRING()),
                                    DataTypes.FIELD("zips", DataTypes.ARRAY(DataTypes.INT())))),
                    DataTypes.FIELD(
                            "points",
                            DataTypes.ARRAY(
                                    DataTypes.ROW(
                                            DataTypes.FIELD("x", DataTypes.DOUBLE()),
                                            DataTypes.FIELD("y", DataTypes.DOUBLE())))));

    private static final RowType ROW_TYPE = (RowType) TABLE.getLogicalType();

    /** Row {@code i}: every column set, but every seventh row's nullable columns all NULL. */
    private static Row row(int i) {
        Row r = Row.withPositions(ROW_TYPE.getFieldCount());
        r.setField(0, (long) i);
        if (i % 7 == 3) {
            return r;
        }
        r.setField(1, i % 2 == 0);
        r.setField(2, (byte) (i - 128));
        r.setField(3, (short) (i * 100 - 30_000));
        r.setField(4, i * 1_000_003);
        r.setField(5, i / 3.0f);
        r.setField(6, i % 5 == 0 ? Double.NaN : -i / 7.0);
        r.setField(
                7,
                new BigDecimal("12345678901234567890123456.7890123456")
                        .negate()
                        .add(BigDecimal.valueOf(i)));
        r.setField(8, i % 3 == 0 ? "" : "näme " + i + " ✓");
        r.setField(9, "c" + (i % 10) + "x");
        r.setField(10, new byte[] {(byte) i, 0, (byte) 0xff});
        r.setField(11, java.time.LocalDate.of(1960, 1, 1).plusDays(i * 97L));
        r.setField(
                12, java.time.LocalTime.ofNanoOfDay((i * 3_600_001L % 86_400_000L) * 1_000_000L));
        r.setField(13, LocalDateTime.of(1969, 12, 31, 23, 59, 59, 999_000_000).plusSeconds(i));
        r.setField(14, LocalDateTime.of(2026, 12, 7, 16, 0).plusNanos(i * 1_001_000L));
        r.setField(15, LocalDateTime.of(1900, 1, 1, 0, 0).plusNanos(i * 123_456_789L));
        r.setField(16, java.time.Instant.ofEpochSecond(1_800_000_000L + i, i * 1_000L));
        r.setField(17, i % 4 == 0 ? new String[0] : new String[] {"a" + i, null, "b"});
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("x", (long) i);
        if (i % 2 == 1) {
            counts.put("y", null);
        }
        r.setField(18, counts);
        r.setField(19, Row.of(i % 6 == 0 ? null : "Oslo", new Integer[] {i, null}));
        r.setField(20, new Row[] {Row.of(1.5 * i, null), null});
        return r;
    }

    private static List<Row> rows(int n) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rows.add(row(i));
        }
        return rows;
    }

    @ParameterizedTest
    @EnumSource(RedisArrowCodec.class)
    void everyTypeWithNullsAndNestedValuesReadsBackAsWritten(RedisArrowCodec codec)
            throws Exception {
        DataStructureConverter<Object, Object> converter =
                DataStructureConverters.getConverter(TABLE);
        converter.open(getClass().getClassLoader());
        List<Row> first = rows(500);
        List<Row> second = rows(30).subList(10, 30);
        List<Row> read = new ArrayList<>();
        try (RedisArrowBatchWriter writer = new RedisArrowBatchWriter(ROW_TYPE, codec);
                RedisArrowBatchReader reader = new RedisArrowBatchReader(ROW_TYPE)) {
            for (List<Row> batch : List.of(first, second)) {
                for (Row r : batch) {
                    writer.add((RowData) converter.toInternal(r));
                }
                assertThat(writer.rows()).isEqualTo(batch.size());
                byte[] bytes = writer.finish();
                assertThat(writer.rows()).isZero();
                for (RowData back : reader.read(bytes, "key 'batch'")) {
                    read.add((Row) converter.toExternal(back));
                }
            }
        }
        List<Row> expected = new ArrayList<>(first);
        expected.addAll(second);
        assertThat(read).hasSize(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            assertThat(read.get(i).toString())
                    .as("row %d", i)
                    .isEqualTo(expected.get(i).toString());
        }
    }

    @Test
    void compressionShrinksRepetitiveColumns() throws Exception {
        long none = bytesOf(RedisArrowCodec.NONE);
        assertThat(bytesOf(RedisArrowCodec.ZSTD)).isLessThan(none / 2);
        assertThat(bytesOf(RedisArrowCodec.LZ4)).isLessThan(none / 2);
    }

    private static long bytesOf(RedisArrowCodec codec) throws Exception {
        RowType type =
                (RowType) DataTypes.ROW(DataTypes.FIELD("s", DataTypes.STRING())).getLogicalType();
        try (RedisArrowBatchWriter writer = new RedisArrowBatchWriter(type, codec)) {
            for (int i = 0; i < 10_000; i++) {
                writer.add(GenericRowData.of(StringData.fromString("region-" + (i % 3))));
            }
            return writer.finish().length;
        }
    }

    /**
     * The buffers' size grows with the rows added, so that a write can end a batch by its bytes: at
     * least the strings' bytes.
     */
    @Test
    void theBufferBytesCountTheRowsAdded() throws Exception {
        RowType type =
                (RowType)
                        DataTypes.ROW(
                                        DataTypes.FIELD("id", DataTypes.BIGINT()),
                                        DataTypes.FIELD("s", DataTypes.STRING()))
                                .getLogicalType();
        String value = "x".repeat(1_000);
        try (RedisArrowBatchWriter writer = new RedisArrowBatchWriter(type, RedisArrowCodec.NONE)) {
            assertThat(writer.bufferBytes()).isZero();
            for (int i = 0; i < 5_000; i++) {
                writer.add(GenericRowData.of((long) i, StringData.fromString(value)));
            }
            assertThat(writer.bufferBytes()).isGreaterThanOrEqualTo(5_000L * (1_000 + 8));
            writer.finish();
            assertThat(writer.bufferBytes()).isZero();
        }
    }

    /** The bytes are a plain Arrow IPC stream: Arrow Java reads the types and values. */
    @Test
    void plainArrowJavaReadsTheBatch() throws Exception {
        RowType type =
                (RowType)
                        DataTypes.ROW(
                                        DataTypes.FIELD("id", DataTypes.BIGINT()),
                                        DataTypes.FIELD("amount", DataTypes.DECIMAL(12, 2)),
                                        DataTypes.FIELD("ts", DataTypes.TIMESTAMP(6)),
                                        DataTypes.FIELD("name", DataTypes.STRING()))
                                .getLogicalType();
        byte[] bytes;
        try (RedisArrowBatchWriter writer = new RedisArrowBatchWriter(type, RedisArrowCodec.ZSTD)) {
            writer.add(
                    GenericRowData.of(
                            7L,
                            DecimalData.fromBigDecimal(new BigDecimal("-12.34"), 12, 2),
                            TimestampData.fromEpochMillis(1_000L, 2_000),
                            StringData.fromString("Ålesund")));
            writer.add(GenericRowData.of(null, null, null, null));
            bytes = writer.finish();
        }
        try (RootAllocator allocator = new RootAllocator();
                ArrowStreamReader reader =
                        new ArrowStreamReader(
                                new ByteArrayInputStream(bytes),
                                allocator,
                                org.apache.arrow.compression.CommonsCompressionFactory.INSTANCE)) {
            VectorSchemaRoot root = reader.getVectorSchemaRoot();
            assertThat(root.getSchema().findField("amount").getType())
                    .isEqualTo(new ArrowType.Decimal(12, 2, 128));
            assertThat(root.getSchema().findField("ts").getType())
                    .isEqualTo(new ArrowType.Timestamp(TimeUnit.MICROSECOND, null));
            assertThat(reader.loadNextBatch()).isTrue();
            assertThat(root.getRowCount()).isEqualTo(2);
            assertThat(((BigIntVector) root.getVector("id")).get(0)).isEqualTo(7L);
            assertThat(((DecimalVector) root.getVector("amount")).getObject(0))
                    .isEqualByComparingTo("-12.34");
            assertThat(((TimeStampMicroVector) root.getVector("ts")).get(0)).isEqualTo(1_000_002L);
            assertThat(
                            new String(
                                    ((VarCharVector) root.getVector("name")).get(0),
                                    StandardCharsets.UTF_8))
                    .isEqualTo("Ålesund");
            assertThat(root.getVector("name").isNull(1)).isTrue();
            assertThat(reader.loadNextBatch()).isFalse();
        }
    }

    /** A stream written with plain Arrow Java, with a column the table does not have. */
    @Test
    void aStreamWrittenByHandIsReadByColumnName() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (RootAllocator allocator = new RootAllocator();
                IntVector n = new IntVector("n", allocator);
                VarCharVector name = new VarCharVector("name", allocator);
                IntVector other = new IntVector("other", allocator)) {
            for (int i = 0; i < 3; i++) {
                n.setSafe(i, i * 10);
                name.setSafe(i, ("v" + i).getBytes(StandardCharsets.UTF_8));
                other.setSafe(i, -1);
            }
            name.setNull(1);
            VectorSchemaRoot root = VectorSchemaRoot.of(other, name, n);
            root.setRowCount(3);
            try (ArrowStreamWriter writer =
                    new ArrowStreamWriter(root, null, Channels.newChannel(out))) {
                writer.start();
                writer.writeBatch();
                writer.end();
            }
        }
        RowType type =
                (RowType)
                        DataTypes.ROW(
                                        DataTypes.FIELD("n", DataTypes.INT()),
                                        DataTypes.FIELD("name", DataTypes.STRING()))
                                .getLogicalType();
        try (RedisArrowBatchReader reader = new RedisArrowBatchReader(type)) {
            assertThat(reader.read(out.toByteArray(), "key 'by-hand'"))
                    .containsExactly(
                            GenericRowData.of(0, StringData.fromString("v0")),
                            GenericRowData.of(10, null),
                            GenericRowData.of(20, StringData.fromString("v2")));
        }
    }

    @Test
    void foreignBytesAndOtherSchemasAreRefusedNamingTheKeyAndColumn() throws Exception {
        RowType ints =
                (RowType) DataTypes.ROW(DataTypes.FIELD("n", DataTypes.INT())).getLogicalType();
        RowType longs =
                (RowType) DataTypes.ROW(DataTypes.FIELD("n", DataTypes.BIGINT())).getLogicalType();
        RowType other =
                (RowType) DataTypes.ROW(DataTypes.FIELD("m", DataTypes.INT())).getLogicalType();
        byte[] bytes;
        try (RedisArrowBatchWriter writer = new RedisArrowBatchWriter(ints, RedisArrowCodec.NONE)) {
            writer.add(GenericRowData.of(1));
            bytes = writer.finish();
        }
        try (RedisArrowBatchReader reader = new RedisArrowBatchReader(longs)) {
            assertThatThrownBy(() -> reader.read(bytes, "key 'sales:{eu}:w1:0'"))
                    .hasMessageContaining("key 'sales:{eu}:w1:0'")
                    .hasMessageContaining("holds column 'n' as")
                    .hasMessageContaining("BIGINT");
            assertThatThrownBy(
                            () ->
                                    reader.read(
                                            "{\"not\":\"arrow\"}".getBytes(StandardCharsets.UTF_8),
                                            "key 'json'"))
                    .hasMessageContaining(
                            "Cannot read key 'json' (15 bytes) as an Arrow IPC stream");
        }
        try (RedisArrowBatchReader reader = new RedisArrowBatchReader(other)) {
            assertThatThrownBy(() -> reader.read(bytes, "key 'k'"))
                    .hasMessageContaining("key 'k' has no column 'm'");
        }
    }

    @Test
    void aColumnTypeWithoutAnArrowMappingIsRefusedNamingTheColumn() {
        RowType type =
                (RowType)
                        DataTypes.ROW(
                                        DataTypes.FIELD(
                                                "spans",
                                                DataTypes.ARRAY(
                                                        DataTypes.INTERVAL(DataTypes.DAY()))))
                                .getLogicalType();
        assertThatThrownBy(() -> new RedisArrowBatchWriter(type, RedisArrowCodec.NONE))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("Column 'spans[]' of type INTERVAL");
    }

    @Test
    void aMapReadsBackAsAMap() throws Exception {
        RowType type =
                (RowType)
                        DataTypes.ROW(
                                        DataTypes.FIELD(
                                                "m",
                                                DataTypes.MAP(DataTypes.INT(), DataTypes.STRING())))
                                .getLogicalType();
        Map<Object, Object> map = new LinkedHashMap<>();
        map.put(1, StringData.fromString("a"));
        map.put(2, null);
        try (RedisArrowBatchWriter writer = new RedisArrowBatchWriter(type, RedisArrowCodec.LZ4);
                RedisArrowBatchReader reader = new RedisArrowBatchReader(type)) {
            writer.add(GenericRowData.of(new GenericMapData(map)));
            writer.add(GenericRowData.of((Object) null));
            List<RowData> rows = reader.read(writer.finish(), "k");
            assertThat(((GenericMapData) rows.get(0).getMap(0)).get(1))
                    .isEqualTo(StringData.fromString("a"));
            assertThat(rows.get(0).getMap(0).size()).isEqualTo(2);
            assertThat(rows.get(1).isNullAt(0)).isTrue();
        }
    }
}
