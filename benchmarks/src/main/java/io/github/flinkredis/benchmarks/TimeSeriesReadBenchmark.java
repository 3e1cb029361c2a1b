package io.github.flinkredis.benchmarks;

import io.github.flinkredis.benchmarks.HashScanBenchmark.Run;
import io.github.flinkredis.benchmarks.HashScanBenchmark.Series;
import io.github.flinkredis.benchmarks.HashScanBenchmark.Settings;
import io.github.flinkredis.connector.client.RedisModuleCommand;
import io.github.flinkredis.testutils.RedisServer;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.ArrayOutput;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.ProtocolVersion;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;

/**
 * Throughput of RedisTimeSeries reads: one series of {@code bench.keys} samples (default 1,000,000;
 * one per millisecond, values {@code i % 1000}), read
 *
 * <ol>
 *   <li>(t) by the connector: {@code INSERT INTO discard SELECT * FROM samples}, two pages, then
 *       time windows of {@code TS.RANGE key from to COUNT 2000}, four in flight;
 *   <li>(a) by the connector aggregated by Redis to 1,000 buckets ({@code AGGREGATION avg
 *       <keys/1000 ms>}), for reference: the samples covered per second;
 *   <li>(f) the same INSERT from a one-row {@code datagen} table: Flink's fixed cost of a job;
 *   <li>(g) the same INSERT from a {@code datagen} table of as many rows: Flink's cost of the rows
 *       without Redis;
 *   <li>(b) by the baseline: a hand-written Lettuce loop of {@code TS.RANGE key <last+1> + COUNT
 *       1000} in this JVM, each reply awaited before the next, every sample's value parsed, over
 *       the protocol Lettuce negotiates (RESP3);
 *   <li>(r) the same loop over RESP2, the protocol the connector reads series with: values come as
 *       text, parsed with {@link Double#parseDouble}. Its runs come after those of the others:
 *       interleaved with them, its decoding of RESP2 replies in this JVM made (t) slower (0.73-0.83
 *       of (b) instead of 0.98-1.07), the JIT compiling Lettuce's RESP2 path for both.
 * </ol>
 *
 * <p>Needs a server with RedisTimeSeries: {@code REDIS_STACK_URL}, or {@code REDIS_MODULES} naming
 * redistimeseries.so for a server started here.
 */
public final class TimeSeriesReadBenchmark {

    private static final String KEY = "bench:ts";
    private static final int COUNT = 1000;
    private static final long START = 1_700_000_000_000L;

    private TimeSeriesReadBenchmark() {}

    public static void main(String[] args) throws Exception {
        HashScanBenchmark.runMain(
                args,
                () -> HashScanBenchmark.stackServer("TimeSeriesReadBenchmark", "RedisTimeSeries"),
                TimeSeriesReadBenchmark::run);
    }

    private static void run(Settings settings, RedisServer server, RedisClient client)
            throws Exception {
        long samples = settings.keys();
        System.out.println("RedisTimeSeries read benchmark");
        System.out.printf(
                Locale.ROOT, "  data set   one series of %,d samples, 1 per ms%n", samples);
        HashScanBenchmark.printEnvironment(server);
        load(client, samples);

        MiniCluster cluster = HashScanBenchmark.startMiniCluster(2);
        RedisClient resp2 = RedisClient.create(server.url());
        resp2.setOptions(ClientOptions.builder().protocolVersion(ProtocolVersion.RESP2).build());
        try {
            StreamTableEnvironment tableEnv = HashScanBenchmark.tableEnvironment(cluster, 1);
            String common =
                    "'connector' = 'redis', 'url' = '"
                            + server.url()
                            + "', 'data-type' = 'timeseries', 'key.pattern' = '"
                            + KEY
                            + "', 'scan.member-page-size' = '"
                            + COUNT
                            + "'";
            tableEnv.executeSql(
                    "CREATE TABLE samples (ts BIGINT, val DOUBLE) WITH (" + common + ")");
            tableEnv.executeSql(
                    "CREATE TABLE downsampled (ts BIGINT, val DOUBLE) WITH ("
                            + common
                            + ", 'scan.timeseries.aggregation' = 'avg',"
                            + " 'scan.timeseries.bucket-duration' = '"
                            + Math.max(1, samples / 1000)
                            + " ms')");
            tableEnv.executeSql(
                    "CREATE TABLE discard (ts BIGINT, val DOUBLE) WITH ('connector' = 'blackhole')");
            tableEnv.executeSql(
                    "CREATE TABLE one_row (ts BIGINT, val DOUBLE) WITH ('connector' = 'datagen',"
                            + " 'number-of-rows' = '1')");
            tableEnv.executeSql(
                    "CREATE TABLE generated (ts BIGINT, val DOUBLE) WITH ('connector' ="
                            + " 'datagen', 'rows-per-second' = '1000000000', 'number-of-rows' = '"
                            + samples
                            + "', 'fields.ts.kind' = 'sequence', 'fields.ts.start' = '1',"
                            + " 'fields.ts.end' = '"
                            + samples
                            + "')");

            Series connector =
                    HashScanBenchmark.jobSeries(
                            "(t) connector TS.RANGE scan",
                            settings,
                            cluster,
                            tableEnv,
                            "INSERT INTO discard SELECT * FROM samples");
            Series aggregated =
                    HashScanBenchmark.jobSeries(
                            "(a) connector, 1,000 avg buckets",
                            settings,
                            cluster,
                            tableEnv,
                            "INSERT INTO discard SELECT * FROM downsampled");
            Series fixed =
                    HashScanBenchmark.jobSeries(
                            "(f) one datagen row: Flink's fixed cost of a job",
                            settings,
                            cluster,
                            tableEnv,
                            "INSERT INTO discard SELECT * FROM one_row");
            fixed.rows = 1;
            Series generated =
                    HashScanBenchmark.jobSeries(
                            "(g) as many datagen rows: Flink's cost of the rows",
                            settings,
                            cluster,
                            tableEnv,
                            "INSERT INTO discard SELECT * FROM generated");
            Series baseline =
                    new Series(
                            "(b) Lettuce baseline (TS.RANGE loop)",
                            settings,
                            HashScanBenchmark.BASELINE_THREADS,
                            () -> baseline(client, samples));
            Series resp2Baseline =
                    new Series(
                            "(r) the same loop over RESP2",
                            settings,
                            HashScanBenchmark.BASELINE_THREADS,
                            () -> baseline(resp2, samples));
            List<Series> all = List.of(connector, aggregated, fixed, generated, baseline);
            HashScanBenchmark.runInterleaved(settings, all, List.of(client));
            // (r) after all the others: its RESP2 decoding in this JVM made (t) slower when
            // interleaved with it (the JIT compiles Lettuce's RESP2 path for both)
            HashScanBenchmark.runInterleaved(settings, List.of(resp2Baseline), List.of(client));
            System.out.println();
            System.out.printf(
                    Locale.ROOT,
                    "Results: %,d samples, median of %d runs (rows/s: samples read or covered)%n",
                    samples,
                    settings.runs());
            HashScanBenchmark.printTable(
                    List.of(connector, aggregated, fixed, generated, baseline, resp2Baseline));
            double ratio = connector.medianRowsPerSecond() / baseline.medianRowsPerSecond();
            System.out.printf(
                    Locale.ROOT,
                    "(t)/(b) connector vs. Lettuce TS.RANGE loop  %5.2f   target >= 0.90   %s%n",
                    ratio,
                    ratio >= 0.9 ? "met" : "NOT MET");
            System.out.printf(
                    Locale.ROOT,
                    "(t)/(r) connector vs. the loop over RESP2     %5.2f%n",
                    connector.medianRowsPerSecond() / resp2Baseline.medianRowsPerSecond());
            double read = connector.medianWall() - fixed.medianWall();
            System.out.printf(
                    Locale.ROOT,
                    "(t) less (f): %,d samples in %.3f s, %,.0f samples/s; vs. (b)  %5.2f,"
                            + " vs. (r)  %5.2f%n",
                    samples,
                    read,
                    samples / read,
                    baseline.medianWall() / read,
                    resp2Baseline.medianWall() / read);
            System.out.printf(
                    Locale.ROOT,
                    "(a) 1,000 buckets of %,d samples in %.3f s (median)%n",
                    samples,
                    aggregated.medianWall());
            HashScanBenchmark.printLoadAverage();
        } finally {
            resp2.shutdown();
            cluster.close();
        }
    }

    /** TS.CREATE, then TS.MADD of {@code samples} samples in chunks of 10,000. */
    private static void load(RedisClient client, long samples) {
        try (StatefulRedisConnection<byte[], byte[]> c = client.connect(ByteArrayCodec.INSTANCE)) {
            byte[] key = bytes(KEY);
            c.sync().del(key);
            c.sync()
                    .dispatch(
                            RedisModuleCommand.TS_CREATE,
                            new StatusOutput<>(ByteArrayCodec.INSTANCE),
                            new CommandArgs<>(ByteArrayCodec.INSTANCE).addKey(key));
            for (long from = 0; from < samples; from += 10_000) {
                CommandArgs<byte[], byte[]> args = new CommandArgs<>(ByteArrayCodec.INSTANCE);
                for (long i = from; i < Math.min(samples, from + 10_000); i++) {
                    args.addKey(key).add(START + i).add(i % 1000);
                }
                c.sync()
                        .dispatch(
                                RedisModuleCommand.TS_MADD,
                                new ArrayOutput<>(ByteArrayCodec.INSTANCE),
                                args);
            }
            List<Object> last =
                    c.sync()
                            .dispatch(
                                    RedisModuleCommand.TS_GET,
                                    new ArrayOutput<>(ByteArrayCodec.INSTANCE),
                                    new CommandArgs<>(ByteArrayCodec.INSTANCE).addKey(key));
            System.out.printf(Locale.ROOT, "  loaded     TS.GET %s = %s%n", KEY, text(last));
        }
    }

    /** TS.RANGE key from + COUNT 1000 in a loop, every value parsed. */
    private static Run baseline(RedisClient client, long samples) {
        long t0 = System.nanoTime();
        long read = 0;
        double sum = 0;
        try (StatefulRedisConnection<byte[], byte[]> c = client.connect(ByteArrayCodec.INSTANCE)) {
            byte[] key = bytes(KEY);
            long from = 0;
            while (true) {
                List<Object> reply =
                        c.sync()
                                .dispatch(
                                        RedisModuleCommand.TS_RANGE,
                                        new ArrayOutput<>(ByteArrayCodec.INSTANCE),
                                        new CommandArgs<>(ByteArrayCodec.INSTANCE)
                                                .addKey(key)
                                                .add(from == 0 ? "-" : Long.toString(from))
                                                .add("+")
                                                .add("COUNT")
                                                .add(COUNT));
                for (Object o : reply) {
                    List<?> sample = (List<?>) o;
                    Object v = sample.get(1);
                    sum +=
                            v instanceof Number
                                    ? ((Number) v).doubleValue()
                                    : Double.parseDouble(
                                            new String((byte[]) v, StandardCharsets.US_ASCII));
                    from = ((Number) sample.get(0)).longValue() + 1;
                    read++;
                }
                if (reply.size() < COUNT) {
                    break;
                }
            }
        }
        long wall = System.nanoTime() - t0;
        if (read != samples || sum < 0) {
            throw new IllegalStateException("The baseline read " + read + " samples");
        }
        return new Run(wall / 1e9, Double.NaN);
    }

    private static String text(List<Object> reply) {
        StringBuilder sb = new StringBuilder();
        for (Object o : reply) {
            sb.append(sb.length() == 0 ? "" : " ")
                    .append(
                            o instanceof byte[]
                                    ? new String((byte[]) o, StandardCharsets.UTF_8)
                                    : String.valueOf(o));
        }
        return sb.toString();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
