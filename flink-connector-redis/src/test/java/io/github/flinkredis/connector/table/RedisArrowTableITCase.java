package io.github.flinkredis.connector.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.flinkredis.connector.RedisITCaseBase;
import io.github.flinkredis.connector.sink.RedisArrowOutputFormat;
import io.github.flinkredis.connector.types.arrow.RedisArrowCodec;
import io.github.flinkredis.connector.types.arrow.RedisArrowManifest;
import java.io.ByteArrayInputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.arrow.compression.CommonsCompressionFactory;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.compression.CompressionUtil;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.ipc.ReadChannel;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.types.Row;
import org.apache.flink.util.ExceptionUtils;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Columnar tables ({@code 'data-type' = 'arrow'}) written and read by batch jobs: rows of every
 * column type, NULLs and nested values equal the rows Flink computes without Redis; the manifest
 * and batch keys Redis holds, read with plain Arrow Java; INSERT INTO adds batches, INSERT
 * OVERWRITE replaces them (the old ones expire); projection and LIMIT; bad tables and bad bytes
 * refused naming the option, key or column.
 */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"standalone", "cluster"})
class RedisArrowTableITCase extends RedisITCaseBase {

    @Parameter String deployment;

    @Override
    protected String deployment() {
        return deployment;
    }

    private static final String COLUMNS =
            "id BIGINT, flag BOOLEAN, tiny TINYINT, n INT, d DOUBLE, amount DECIMAL(20, 4),"
                    + " name STRING, payload BYTES, sold DATE, ts TIMESTAMP(6), ltz TIMESTAMP_LTZ(3),"
                    + " tags ARRAY<STRING>, counts MAP<STRING, BIGINT>,"
                    + " address ROW<city STRING, zips ARRAY<INT>>";

    /** Every column computed from {@code id}; NULLs in some rows, nested values in all. */
    private static final String ROWS =
            "SELECT id, id % 2 = 0, CAST(id % 100 AS TINYINT),"
                    + " CASE WHEN id % 5 = 0 THEN NULL ELSE CAST(id * 7 AS INT) END,"
                    + " id / 3.0e0, CAST(CAST(id AS DECIMAL(20, 4)) / 8 AS DECIMAL(20, 4)),"
                    + " CASE WHEN id % 4 = 0 THEN NULL ELSE CONCAT('name-', CAST(id AS STRING)) END,"
                    + " CAST(CONCAT('r', CAST(id AS STRING)) AS BYTES),"
                    + " DATE '2020-01-01' + CAST(id AS INT) * INTERVAL '1' DAY,"
                    + " TIMESTAMP '2026-12-07 10:00:00.123456' + CAST(id AS INT) * INTERVAL '1' SECOND,"
                    + " TO_TIMESTAMP_LTZ(id * 1001, 3),"
                    + " ARRAY[CONCAT('t', CAST(id AS STRING)), CAST(NULL AS STRING)],"
                    + " MAP['k', id, 'z', CAST(NULL AS BIGINT)],"
                    + " ROW(CASE WHEN id % 3 = 0 THEN NULL ELSE 'Oslo' END, ARRAY[CAST(id AS INT)])"
                    + " FROM gen";

    @BeforeEach
    void generator() {
        tEnv.executeSql(
                "CREATE TEMPORARY TABLE gen (id BIGINT) WITH ('connector' = 'datagen',"
                        + " 'fields.id.kind' = 'sequence', 'fields.id.start' = '1',"
                        + " 'fields.id.end' = '1000', 'number-of-rows' = '1000')");
    }

    private void createSales(String... options) {
        tEnv.executeSql("DROP TABLE IF EXISTS sales");
        List<String> all = new ArrayList<>(List.of("data-type", "arrow", "key.prefix", "sales"));
        all.addAll(List.of(options));
        tEnv.executeSql(
                "CREATE TABLE sales ("
                        + COLUMNS
                        + ") WITH ("
                        + with(all.toArray(new String[0]))
                        + ")");
    }

    private static List<String> sorted(List<Row> rows) {
        List<String> out = new ArrayList<>();
        rows.forEach(r -> out.add(r.toString()));
        out.sort(Comparator.naturalOrder());
        return out;
    }

    @Test
    void rowsOfEveryTypeReadBackAsFlinkComputesThem() throws Exception {
        createSales("sink.arrow.batch-rows", "64");
        tEnv.getConfig().set("table.exec.resource.default-parallelism", "2");
        tEnv.executeSql("INSERT INTO sales " + ROWS).await();

        List<String> expected = sorted(query(ROWS));
        assertThat(expected).hasSize(1000);
        assertThat(sorted(query("SELECT * FROM sales"))).isEqualTo(expected);

        // the manifest lists every batch; plain Arrow Java reads each key's stream
        RedisArrowManifest manifest = RedisArrowManifest.parse(bytes("sales"), "sales");
        assertThat(manifest.rows()).isEqualTo(1000);
        assertThat(manifest.batches().size()).isBetween(16, 18); // 64 rows each, per writer
        long rows = 0;
        for (RedisArrowManifest.Batch b : manifest.batches()) {
            assertThat(b.key()).startsWith("sales:" + manifest.writeId() + ":");
            byte[] value = bytes(b.key());
            assertThat((long) value.length).isEqualTo(b.bytes());
            try (RootAllocator allocator = new RootAllocator();
                    ArrowStreamReader reader =
                            new ArrowStreamReader(
                                    new ByteArrayInputStream(value),
                                    allocator,
                                    CommonsCompressionFactory.INSTANCE)) {
                while (reader.loadNextBatch()) {
                    rows += reader.getVectorSchemaRoot().getRowCount();
                }
            }
        }
        assertThat(rows).isEqualTo(1000);
    }

    @Test
    void insertIntoAddsBatchesAndInsertOverwriteReplacesThem() throws Exception {
        createSales("arrow.compression", "lz4");
        tEnv.executeSql("INSERT INTO sales " + ROWS + " WHERE id <= 10").await();
        tEnv.executeSql("INSERT INTO sales " + ROWS + " WHERE id > 990").await();
        assertThat(query("SELECT id FROM sales")).hasSize(20);
        RedisArrowManifest before = RedisArrowManifest.parse(bytes("sales"), "sales");

        tEnv.executeSql("INSERT OVERWRITE sales " + ROWS + " WHERE id BETWEEN 500 AND 502").await();
        assertThat(sorted(query("SELECT id, name FROM sales")))
                .containsExactly("+I[500, null]", "+I[501, name-501]", "+I[502, name-502]");
        // the replaced batches expire (sink.arrow.retention: 5 min), the staging hash is gone
        for (RedisArrowManifest.Batch b : before.batches()) {
            assertThat(client.sync().pttl(b.key())).isBetween(1L, 300_000L);
        }
        assertThat(stagingKeys()).isEmpty();
    }

    /**
     * An append with another {@code arrow.compression}: each batch names the codec its IPC stream
     * really uses, and the snapshot's top-level codec says they are mixed.
     */
    @Test
    void anAppendWithAnotherCompressionNamesEachBatchsCodec() throws Exception {
        createSales("arrow.compression", "lz4");
        tEnv.executeSql("INSERT INTO sales " + ROWS + " WHERE id <= 10").await();
        RedisArrowManifest lz4 = RedisArrowManifest.parse(bytes("sales"), "sales");
        assertThat(lz4.batchCodecs()).isEqualTo("lz4");

        createSales("arrow.compression", "none");
        tEnv.executeSql("INSERT INTO sales " + ROWS + " WHERE id > 990").await();

        RedisArrowManifest mixed = RedisArrowManifest.parse(bytes("sales"), "sales");
        assertThat(new String(bytes("sales"), StandardCharsets.UTF_8))
                .contains("\"codec\":\"mixed\"");
        assertThat(mixed.batchCodecs()).isEqualTo(RedisArrowManifest.MIXED_CODECS);
        assertThat(mixed.codec()).isEqualTo(RedisArrowCodec.NONE);
        assertThat(mixed.batches().subList(0, lz4.batches().size())).isEqualTo(lz4.batches());
        assertThat(mixed.batches())
                .extracting(RedisArrowManifest.Batch::codec)
                .containsOnly(RedisArrowCodec.LZ4, RedisArrowCodec.NONE)
                .contains(RedisArrowCodec.LZ4, RedisArrowCodec.NONE);
        for (RedisArrowManifest.Batch b : mixed.batches()) {
            assertThat(bodyCompression(bytes(b.key())))
                    .as("the compression of batch %s's buffers", b.key())
                    .isEqualTo(
                            b.codec() == RedisArrowCodec.LZ4
                                    ? CompressionUtil.CodecType.LZ4_FRAME
                                    : CompressionUtil.CodecType.NO_COMPRESSION);
        }
        assertThat(query("SELECT id FROM sales")).hasSize(20);
    }

    /** What a batch's IPC stream says of its buffers' compression, read with plain Arrow Java. */
    private static CompressionUtil.CodecType bodyCompression(byte[] stream) throws Exception {
        try (RootAllocator allocator = new RootAllocator()) {
            ReadChannel in = new ReadChannel(Channels.newChannel(new ByteArrayInputStream(stream)));
            MessageSerializer.deserializeSchema(in);
            try (ArrowRecordBatch batch = MessageSerializer.deserializeRecordBatch(in, allocator)) {
                return CompressionUtil.CodecType.fromCompressionType(
                        batch.getBodyCompression().getCodec());
            }
        }
    }

    /** A write that fails before it publishes leaves the old snapshot as it was. */
    @Test
    void aFailedWriteLeavesTheOldSnapshotReadable() throws Exception {
        createSales("sink.arrow.batch-rows", "10");
        tEnv.executeSql("INSERT INTO sales " + ROWS + " WHERE id <= 5").await();
        byte[] manifest = bytes("sales");

        // the 901st row fails the job (a CAST that cannot parse), after batches were written
        String failing =
                ROWS.replace(
                        "SELECT id,",
                        "SELECT CAST(CASE WHEN id = 901 THEN 'x' ELSE CAST(id AS STRING) END"
                                + " AS BIGINT),");
        Throwable failure =
                catchThrowable(() -> tEnv.executeSql("INSERT OVERWRITE sales " + failing).await());

        assertThat(failure).isNotNull();
        assertThat(bytes("sales")).isEqualTo(manifest);
        assertThat(sorted(query("SELECT id FROM sales")))
                .containsExactly("+I[1]", "+I[2]", "+I[3]", "+I[4]", "+I[5]");

        // the failed write's keys (batches of 10 rows, and a staging hash if a writer closed)
        // expire with sink.arrow.pending-ttl (24 h); the snapshot's keys have no TTL
        List<String> published =
                new ArrayList<>(
                        RedisArrowManifest.parse(manifest, "sales").batches().stream()
                                .map(RedisArrowManifest.Batch::key)
                                .toList());
        published.add("sales");
        List<String> left = new ArrayList<>(client.sync().keys("sales*"));
        left.removeAll(published);
        assertThat(left).isNotEmpty();
        for (String key : left) {
            assertThat(client.sync().pttl(key))
                    .as("PTTL of %s", key)
                    .isBetween(86_400_000L - 600_000L, 86_400_000L);
        }
        for (String key : published) {
            assertThat(client.sync().pttl(key)).as("PTTL of %s", key).isEqualTo(-1L);
        }
    }

    /**
     * A write whose batch key expired before it published fails, naming the key and the option; the
     * snapshot stays as it was and the write's other keys keep their TTL.
     */
    @Test
    void aWriteWhoseBatchExpiredIsNotPublished() throws Exception {
        createSales();
        tEnv.executeSql("INSERT INTO sales " + ROWS + " WHERE id <= 2").await();
        byte[] manifest = bytes("sales");
        RedisArrowOutputFormat write = format(false, "w1", 41L);
        String staging = "sales:staging:w1";
        assertThat(client.sync().pttl(staging)).isBetween(1L, PENDING_TTL);
        List<String> batchKeys = client.sync().keys("sales:w1:*");
        assertThat(batchKeys).containsExactly("sales:w1:0-0");
        assertThat(client.sync().pttl("sales:w1:0-0")).isBetween(1L, PENDING_TTL);

        client.del("sales:w1:0-0"); // as if its TTL had passed
        assertThat(catchThrowable(() -> write.finalizeGlobal(ONE_WRITER)))
                .hasMessage(
                        "Batch key 'sales:w1:0-0' of the write w1 of columnar table 'sales'"
                                + " expired before the write published (its TTL until then:"
                                + " 'sink.arrow.pending-ttl' = 3600000 ms): not published");
        assertThat(bytes("sales")).isEqualTo(manifest);
        assertThat(client.sync().pttl(staging)).isBetween(1L, PENDING_TTL);

        // a write of other columns is known not to be published: its batch keys keep a TTL
        tEnv.executeSql("DROP TABLE sales");
        tEnv.executeSql(
                "CREATE TABLE sales (id BIGINT) WITH ("
                        + with("data-type", "arrow", "key.prefix", "sales")
                        + ")");
        RedisArrowOutputFormat otherColumns = format(false, "w3", 43L);
        assertThat(catchThrowable(() -> otherColumns.finalizeGlobal(ONE_WRITER)))
                .hasMessageContaining("Columnar table 'sales' holds rows of other columns");
        assertThat(client.sync().pttl("sales:w3:0-0")).isBetween(1L, PENDING_TTL);
        assertThat(bytes("sales")).isEqualTo(manifest);
        createSales();

        // a write that publishes: its batch keys lose their TTL, its staging hash is gone
        format(false, "w2", 42L).finalizeGlobal(ONE_WRITER);
        assertThat(client.sync().pttl("sales:w2:0-0")).isEqualTo(-1L);
        assertThat(client.sync().exists("sales:staging:w2")).isZero();
        assertThat(sorted(query("SELECT id FROM sales")))
                .containsExactly("+I[1]", "+I[2]", "+I[42]");
    }

    /**
     * Two writes that ran at the same time publish one after the other: appending, the second keeps
     * the first's batches; overwriting, the last to publish wins.
     */
    @Test
    void writesThatOverlapPublishOneAfterTheOther() throws Exception {
        createSales();
        tEnv.executeSql("INSERT INTO sales " + ROWS + " WHERE id <= 2").await();
        RedisArrowOutputFormat first = format(false, "w1", 41L);
        RedisArrowOutputFormat second = format(false, "w2", 42L);
        first.finalizeGlobal(ONE_WRITER);
        second.finalizeGlobal(ONE_WRITER);
        assertThat(sorted(query("SELECT id FROM sales")))
                .containsExactly("+I[1]", "+I[2]", "+I[41]", "+I[42]");
        assertThat(RedisArrowManifest.parse(bytes("sales"), "sales").writeId()).isEqualTo("w2");

        RedisArrowOutputFormat third = format(true, "w3", 43L);
        RedisArrowOutputFormat fourth = format(true, "w4", 44L);
        fourth.finalizeGlobal(ONE_WRITER);
        third.finalizeGlobal(ONE_WRITER);
        assertThat(sorted(query("SELECT id FROM sales"))).containsExactly("+I[43]");
    }

    /** sink.arrow.pending-ttl of the writes made by {@link #format}, in milliseconds. */
    private static final long PENDING_TTL = 3_600_000;

    /** A one-writer write of a row of {@code id} (other columns NULL), its batches written. */
    private RedisArrowOutputFormat format(boolean overwrite, String writeId, long id)
            throws Exception {
        RowType type =
                (RowType)
                        tEnv.from("sales")
                                .getResolvedSchema()
                                .toPhysicalRowDataType()
                                .getLogicalType();
        RedisArrowOutputFormat format =
                new RedisArrowOutputFormat(
                        io.github.flinkredis.connector.config.RedisConnectionConfig.fromUrl(
                                        redisUrl())
                                .build(),
                        "sales",
                        type,
                        io.github.flinkredis.connector.types.arrow.RedisArrowCodec.ZSTD,
                        100,
                        1 << 20,
                        overwrite,
                        writeId,
                        new RedisArrowOutputFormat.Lifetimes(PENDING_TTL, 60_000));
        format.open(context());
        org.apache.flink.table.data.GenericRowData row =
                new org.apache.flink.table.data.GenericRowData(type.getFieldCount());
        row.setField(0, id);
        format.writeRecord(row);
        format.close();
        return format;
    }

    private static final org.apache.flink.api.common.io.FinalizeOnMaster.FinalizationContext
            ONE_WRITER =
                    new org.apache.flink.api.common.io.FinalizeOnMaster.FinalizationContext() {
                        @Override
                        public int getParallelism() {
                            return 1;
                        }

                        @Override
                        public int getFinishedAttempt(int subtaskIndex) {
                            return 0;
                        }
                    };

    private static org.apache.flink.api.common.io.OutputFormat.InitializationContext context() {
        return new org.apache.flink.api.common.io.OutputFormat.InitializationContext() {
            @Override
            public int getNumTasks() {
                return 1;
            }

            @Override
            public int getTaskNumber() {
                return 0;
            }

            @Override
            public int getAttemptNumber() {
                return 0;
            }
        };
    }

    @Test
    void projectionLimitAndAnEmptyTable() throws Exception {
        createSales();
        assertThat(query("SELECT * FROM sales")).isEmpty();
        tEnv.executeSql("INSERT INTO sales " + ROWS).await();
        assertThat(query("SELECT name, id FROM sales WHERE id = 7"))
                .containsExactly(Row.of("name-7", 7L));
        assertThat(query("SELECT id FROM sales LIMIT 3")).hasSize(3);
        assertThat(tEnv.explainSql("SELECT id FROM sales LIMIT 3")).contains("limit=[3]");
    }

    /**
     * A LIMIT reads only the first batch keys that hold its rows (INFO commandstats: one GET of the
     * manifest when the query is planned, one per batch key read).
     */
    @Test
    void aLimitReadsOnlyTheBatchesThatHoldItsRows() throws Exception {
        createSales("sink.arrow.batch-rows", "64");
        tEnv.getConfig().set("table.exec.resource.default-parallelism", "1");
        tEnv.executeSql("INSERT INTO sales " + ROWS).await();
        RedisArrowManifest manifest = RedisArrowManifest.parse(bytes("sales"), "sales");
        assertThat(manifest.batches()).hasSize(16); // 15 of 64 rows, one of 40

        for (long[] limitAndBatches : new long[][] {{3, 1}, {64, 1}, {65, 2}, {130, 3}, {0, 0}}) {
            client.resetStats();
            List<Row> rows = query("SELECT id FROM sales LIMIT " + limitAndBatches[0]);
            assertThat(rows).hasSize((int) limitAndBatches[0]);
            assertThat(client.calls("get"))
                    .as("GETs of LIMIT %d", limitAndBatches[0])
                    .isEqualTo(1 + limitAndBatches[1]);
        }
        client.resetStats();
        assertThat(query("SELECT id FROM sales")).hasSize(1000);
        assertThat(client.calls("get")).isEqualTo(1 + 16);

        // a LIMIT above the table's rows reads it all
        assertThat(query("SELECT id FROM sales LIMIT 5000")).hasSize(1000);
    }

    /** A batch whose rows are fewer than its manifest entry says fails the read, naming it. */
    @Test
    void aManifestThatMiscountsABatchFailsTheRead() throws Exception {
        createSales("sink.arrow.batch-rows", "10");
        tEnv.executeSql("INSERT INTO sales " + ROWS + " WHERE id <= 25").await();
        RedisArrowManifest manifest = RedisArrowManifest.parse(bytes("sales"), "sales");
        List<RedisArrowManifest.Batch> batches = new ArrayList<>(manifest.batches());
        RedisArrowManifest.Batch first = batches.get(0);
        batches.set(
                0,
                new RedisArrowManifest.Batch(
                        first.key(), first.rows() + 1, first.bytes(), first.codec()));
        client.set(
                "sales",
                new String(
                        new RedisArrowManifest(
                                        manifest.writeId(),
                                        manifest.codec(),
                                        manifest.schema(),
                                        batches)
                                .toJson(),
                        StandardCharsets.UTF_8));

        assertThat(
                        ExceptionUtils.stringifyException(
                                catchThrowable(() -> query("SELECT id FROM sales LIMIT 5"))))
                .contains(
                        "Batch key '"
                                + first.key()
                                + "' of columnar table 'sales' holds 10 rows where its manifest"
                                + " says 11");
    }

    @Test
    void badBytesFailTheReadNamingTheKey() throws Exception {
        createSales();
        tEnv.executeSql("INSERT INTO sales " + ROWS + " WHERE id <= 3").await();
        RedisArrowManifest manifest = RedisArrowManifest.parse(bytes("sales"), "sales");
        String batch = manifest.batches().get(0).key();
        client.set(batch, "not arrow");
        assertThat(
                        ExceptionUtils.stringifyException(
                                catchThrowable(() -> query("SELECT * FROM sales"))))
                .contains("Cannot read batch key '" + batch + "' (9 bytes) as an Arrow IPC stream");

        client.del(batch);
        assertThat(
                        ExceptionUtils.stringifyException(
                                catchThrowable(() -> query("SELECT * FROM sales"))))
                .contains("Batch key '" + batch + "' of columnar table 'sales'", "is gone");

        client.set("sales", "{\"format\": \"something else\"}");
        assertThat(
                        ExceptionUtils.stringifyException(
                                catchThrowable(() -> query("SELECT * FROM sales"))))
                .contains("Key 'sales' holds no manifest of a columnar table");
    }

    @Test
    void theDocsExampleRuns() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse(isCluster(), "the docs name one server");
        assertThat(runMarkdownSql("docs/arrow.md"))
                .containsExactlyInAnyOrder(
                        Row.of("eu", new java.math.BigDecimal("15.50")),
                        Row.of("us", new java.math.BigDecimal("7.25")));
    }

    @Test
    void tablesThatCannotBeColumnarAreRefusedNamingWhy() {
        tEnv.executeSql("CREATE TABLE np (id BIGINT) WITH (" + with("data-type", "arrow") + ")");
        assertThat(catchThrowable(() -> tEnv.explainSql("SELECT * FROM np")))
                .hasRootCauseMessage(
                        "An 'arrow' table needs option 'key.prefix': its manifest key, under which"
                                + " its batch keys are named.");
        tEnv.executeSql(
                "CREATE TABLE pk (id BIGINT, PRIMARY KEY (id) NOT ENFORCED) WITH ("
                        + with("data-type", "arrow", "key.prefix", "pk")
                        + ")");
        assertThat(
                        ExceptionUtils.stringifyException(
                                catchThrowable(() -> tEnv.explainSql("SELECT * FROM pk"))))
                .contains("An 'arrow' table has no PRIMARY KEY");
        tEnv.executeSql(
                "CREATE TABLE iv (id BIGINT, bag MULTISET<STRING>) WITH ("
                        + with("data-type", "arrow", "key.prefix", "iv")
                        + ")");
        assertThat(
                        ExceptionUtils.stringifyException(
                                catchThrowable(() -> tEnv.explainSql("SELECT * FROM iv"))))
                .contains("Column 'bag' of type MULTISET");
        createSales("arrow.compression", "gzip");
        assertThat(
                        ExceptionUtils.stringifyException(
                                catchThrowable(() -> tEnv.explainSql("INSERT INTO sales " + ROWS))))
                .contains("Invalid value 'gzip' for option 'arrow.compression'");
        assertThat(bytes("sales")).isNull();
    }

    private byte[] bytes(String key) {
        return client.binary().get(key.getBytes(StandardCharsets.UTF_8));
    }

    /** The keys of staging hashes, on every node. */
    private List<String> stagingKeys() {
        List<String> keys = new ArrayList<>();
        if (isCluster()) {
            for (io.github.flinkredis.testutils.RedisServer node : cluster.primaries()) {
                try {
                    String reply = node.command("KEYS", "sales:staging:*").trim();
                    if (!reply.isEmpty()) {
                        keys.add(reply);
                    }
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
            }
        } else {
            keys.addAll(client.sync().keys("sales:staging:*"));
        }
        return keys;
    }
}
