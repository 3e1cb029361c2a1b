package io.github.flinkredis.benchmarks;

import io.github.flinkredis.benchmarks.HashScanBenchmark.Series;
import io.github.flinkredis.benchmarks.HashScanBenchmark.Settings;
import io.github.flinkredis.testutils.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.arrow.compression.CommonsCompressionFactory;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;

/**
 * Reading a columnar table ({@code 'data-type' = 'arrow'}) against the same rows as hashes, Flink's
 * own floor and a hand-written Arrow Java loop. ArrowRedis' schema: {@code id} BIGINT, {@code part}
 * STRING (10 values), {@code i32} INT, {@code f64} DOUBLE, {@code flag} BOOLEAN, {@code ts}
 * TIMESTAMP(3), {@code amount} DECIMAL(12, 2), {@code tag} STRING (100 values), {@code list}
 * ARRAY&lt;INT&gt; (3 elements); {@code bench.keys} rows (default 1,000,000) in 48 record batches
 * (zstd), written once by the connector from a datagen sequence:
 *
 * <ol>
 *   <li>(r1), (r2) the connector reading the table into the blackhole at parallelism 1 and 2;
 *   <li>(h) the same rows as hashes (without {@code list}: a hash field holds a string) read by the
 *       hash scan into the blackhole;
 *   <li>(f) Flink's floor: the same rows computed from a datagen sequence into the blackhole;
 *   <li>(j) a hand-written loop in this JVM: GET of the manifest and of each batch key (Lettuce),
 *       {@code ArrowStreamReader}, every value of every column read.
 * </ol>
 *
 * <p>Before the runs, the rows' count and sums agree all ways.
 */
public final class ArrowBenchmark {

    private static final String COLUMNS =
            "id BIGINT, part STRING, i32 INT, f64 DOUBLE, flag BOOLEAN, ts TIMESTAMP(3),"
                    + " amount DECIMAL(12, 2), tag STRING";

    private static final String VALUES =
            "id, CONCAT('p', CAST(id % 10 AS STRING)), CAST(id % 100000 AS INT), id / 7.0e0,"
                    + " id % 2 = 0, TIMESTAMP '2026-01-01 00:00:00' + CAST(id % 86400 AS INT)"
                    + " * INTERVAL '1' SECOND, CAST(CAST(id % 100000 AS DECIMAL(12, 2)) / 4 AS"
                    + " DECIMAL(12, 2)), CONCAT('tag-', CAST(id % 100 AS STRING))";

    private static final Pattern BATCH_KEY = Pattern.compile("\"key\":\"([^\"]+)\"");

    private ArrowBenchmark() {}

    public static void main(String[] args) throws Exception {
        HashScanBenchmark.runMain(
                args, () -> RedisServer.startLocal(List.of()), ArrowBenchmark::run);
    }

    private static void run(Settings settings, RedisServer server, RedisClient client)
            throws Exception {
        long rows = settings.keys();
        System.out.println("Columnar table (Arrow IPC batches) read benchmark");
        System.out.printf(Locale.ROOT, "  data set   %,d rows in 48 record batches (zstd)%n", rows);
        HashScanBenchmark.printEnvironment(server);
        MiniCluster cluster = HashScanBenchmark.startMiniCluster(2);
        try {
            StreamTableEnvironment one = HashScanBenchmark.tableEnvironment(cluster, 1);
            StreamTableEnvironment two = HashScanBenchmark.tableEnvironment(cluster, 2);
            for (StreamTableEnvironment env : List.of(one, two)) {
                createTables(env, server.url(), rows);
            }
            long t0 = System.nanoTime();
            one.executeSql(
                            "INSERT OVERWRITE cols SELECT "
                                    + VALUES
                                    + ", ARRAY[CAST(id AS INT),"
                                    + " 1, 2] FROM gen")
                    .await();
            System.out.printf(
                    Locale.ROOT,
                    "  written    the columnar table in %.1f s%n",
                    (System.nanoTime() - t0) / 1e9);
            t0 = System.nanoTime();
            one.executeSql("INSERT INTO hashes SELECT " + VALUES + " FROM gen").await();
            System.out.printf(
                    Locale.ROOT,
                    "  written    the hashes in %.1f s%n",
                    (System.nanoTime() - t0) / 1e9);
            String sums = "SELECT COUNT(*), SUM(id), SUM(i32), SUM(amount) FROM ";
            String expected = first(one, sums + "gen_plain");
            for (String table : List.of("cols", "hashes")) {
                String got = first(one, sums + table);
                if (!got.equals(expected)) {
                    throw new IllegalStateException(
                            table + " holds " + got + ", the generator " + expected);
                }
            }
            StatefulRedisConnection<byte[], byte[]> connection =
                    client.connect(ByteArrayCodec.INSTANCE);
            long handRows = handWritten(connection);
            if (handRows != rows) {
                throw new IllegalStateException("(j) read " + handRows + " rows");
            }
            System.out.printf(Locale.ROOT, "  verified   %s all ways%n", expected);

            String discard =
                    "INSERT INTO discard SELECT " + "id, part, i32, f64, flag, ts, amount, tag";
            Series r1 =
                    HashScanBenchmark.jobSeries(
                            "(r1) connector, columnar table, parallelism 1",
                            settings,
                            cluster,
                            one,
                            discard + " FROM cols");
            Series r2 =
                    HashScanBenchmark.jobSeries(
                            "(r2) connector, columnar table, parallelism 2",
                            settings,
                            cluster,
                            two,
                            discard + " FROM cols");
            Series h =
                    HashScanBenchmark.jobSeries(
                            "(h) connector, the same rows as hashes, parallelism 1",
                            settings,
                            cluster,
                            one,
                            discard + " FROM hashes");
            Series f =
                    HashScanBenchmark.jobSeries(
                            "(f) Flink's floor: datagen into the blackhole",
                            settings,
                            cluster,
                            one,
                            "INSERT INTO discard SELECT " + VALUES + " FROM gen");
            Series j =
                    new Series(
                            "(j) hand-written GET + ArrowStreamReader, every value",
                            settings,
                            HashScanBenchmark.BASELINE_THREADS,
                            () -> {
                                long start = System.nanoTime();
                                handWritten(connection);
                                return new HashScanBenchmark.Run(
                                        (System.nanoTime() - start) / 1e9, Double.NaN);
                            });
            List<Series> all = List.of(r1, r2, h, f, j);
            HashScanBenchmark.runInterleaved(settings, all, List.of(client));
            connection.close();
            System.out.println();
            System.out.printf(
                    Locale.ROOT, "Results: %,d rows, median of %d runs%n", rows, settings.runs());
            HashScanBenchmark.printTable(all);
            System.out.printf(
                    Locale.ROOT,
                    "(h)/(r1) hashes vs. columnar, wall     %6.2f%n",
                    h.medianWall() / r1.medianWall());
            System.out.printf(
                    Locale.ROOT,
                    "(r1)/(r2) parallelism 2 vs. 1, wall    %6.2f%n",
                    r1.medianWall() / r2.medianWall());
            System.out.printf(
                    Locale.ROOT,
                    "(j)/(r1) hand-written vs. connector    %6.2f%n",
                    j.medianWall() / r1.medianWall());
            HashScanBenchmark.printLoadAverage();
        } finally {
            cluster.close();
        }
    }

    private static void createTables(StreamTableEnvironment env, String url, long rows) {
        String redis = "'connector' = 'redis', 'url' = '" + url + "'";
        env.executeSql(
                "CREATE TABLE gen (id BIGINT) WITH ('connector' = 'datagen', 'fields.id.kind' ="
                        + " 'sequence', 'fields.id.start' = '1', 'fields.id.end' = '"
                        + rows
                        + "', 'number-of-rows' = '"
                        + rows
                        + "', 'rows-per-second' = '1000000000')");
        env.executeSql(
                "CREATE VIEW gen_plain (id, part, i32, f64, flag, ts, amount, tag) AS SELECT "
                        + VALUES
                        + " FROM gen");
        env.executeSql(
                "CREATE TABLE cols ("
                        + COLUMNS
                        + ", list ARRAY<INT>) WITH ("
                        + redis
                        + ", 'data-type' = 'arrow', 'key.prefix' = 'bench:cols',"
                        + " 'sink.arrow.batch-rows' = '"
                        + ((rows + 47) / 48)
                        + "')");
        env.executeSql(
                "CREATE TABLE hashes ("
                        + COLUMNS
                        + ", PRIMARY KEY (id) NOT ENFORCED) WITH ("
                        + redis
                        + ", 'data-type' = 'hash', 'key.prefix' = 'bench:h:')");
        env.executeSql("CREATE TABLE discard (" + COLUMNS + ") WITH ('connector' = 'blackhole')");
    }

    private static String first(StreamTableEnvironment env, String sql) throws Exception {
        try (CloseableIterator<Row> it = env.executeSql(sql).collect()) {
            return it.next().toString();
        }
    }

    /** GET of the manifest and each batch; every value of every column read; the rows read. */
    private static long handWritten(StatefulRedisConnection<byte[], byte[]> connection)
            throws Exception {
        String manifest =
                new String(
                        connection.sync().get("bench:cols".getBytes(StandardCharsets.UTF_8)),
                        StandardCharsets.UTF_8);
        List<String> keys = new ArrayList<>();
        Matcher m = BATCH_KEY.matcher(manifest);
        while (m.find()) {
            keys.add(m.group(1));
        }
        long rows = 0;
        long checksum = 0;
        try (RootAllocator allocator = new RootAllocator()) {
            for (String key : keys) {
                byte[] value = connection.sync().get(key.getBytes(StandardCharsets.UTF_8));
                try (ArrowStreamReader reader =
                        new ArrowStreamReader(
                                new ByteArrayInputStream(value),
                                allocator,
                                CommonsCompressionFactory.INSTANCE)) {
                    VectorSchemaRoot root = reader.getVectorSchemaRoot();
                    while (reader.loadNextBatch()) {
                        int n = root.getRowCount();
                        for (FieldVector v : root.getFieldVectors()) {
                            checksum += touch(v, n);
                        }
                        rows += n;
                    }
                }
            }
        }
        if (checksum == 42) {
            System.out.print(""); // keeps the loop's reads
        }
        return rows;
    }

    /** Reads every value of {@code v}; a number that depends on them. */
    private static long touch(FieldVector v, int n) {
        long sum = 0;
        for (int i = 0; i < n; i++) {
            if (v.isNull(i)) {
                continue;
            }
            if (v instanceof BigIntVector b) {
                sum += b.get(i);
            } else if (v instanceof IntVector x) {
                sum += x.get(i);
            } else if (v instanceof Float8Vector d) {
                sum += (long) d.get(i);
            } else if (v instanceof BitVector b) {
                sum += b.get(i);
            } else if (v instanceof TimeStampVector t) {
                sum += t.get(i);
            } else if (v instanceof DecimalVector d) {
                sum += d.getObject(i).unscaledValue().longValue();
            } else if (v instanceof VarCharVector s) {
                sum += s.get(i).length;
            } else if (v instanceof ListVector l) {
                IntVector e = (IntVector) l.getDataVector();
                for (int k = l.getElementStartIndex(i); k < l.getElementEndIndex(i); k++) {
                    sum += e.get(k);
                }
            }
        }
        return sum;
    }
}
