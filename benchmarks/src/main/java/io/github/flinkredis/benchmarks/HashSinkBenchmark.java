package io.github.flinkredis.benchmarks;

import io.github.flinkredis.benchmarks.HashScanBenchmark.Run;
import io.github.flinkredis.benchmarks.HashScanBenchmark.Series;
import io.github.flinkredis.benchmarks.HashScanBenchmark.Settings;
import io.github.flinkredis.testutils.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;

/**
 * Throughput of the connector's sink: {@code bench.keys} rows of ten 10-character fields upserted
 * into hashes, against a hand-written Lettuce loop of pipelined {@code HSET}s in the same JVM, and
 * what {@code redis-benchmark -P 64 -t hset} reaches on the same server (its ceiling for HSET).
 *
 * <ol>
 *   <li>(s) {@code INSERT INTO hashes SELECT * FROM gen}: the rows the baseline writes (a sequence
 *       id from Flink's {@code datagen}, ten fields of zero-padded digits computed by the job) into
 *       a redis table ({@code HSET key f0 v0 ... f9 v9} per row, batches of {@code
 *       sink.buffer-flush.max-rows}, pipelined), in batch mode;
 *   <li>(t) the same in streaming mode;
 *   <li>(d) (s) with {@code 'sink.error-policy' = 'dead-letter'}, no row refused: what checking for
 *       dead letters costs (target: at least 0.95 of (s));
 *   <li>(g) {@code INSERT INTO discard SELECT * FROM gen}: the same rows into a blackhole sink, the
 *       cost of making the rows, for reference;
 *   <li>(b) the baseline: {@link HashDataLoader} (one {@code HSET} of ten fields per key, batches
 *       of 1,000 commands in one pipelined write, each batch awaited before the next).
 * </ol>
 *
 * <p>Settings as for {@link HashScanBenchmark} ({@code bench.keys}, {@code bench.runs}, {@code
 * bench.warmups}, {@code bench.table-options} for the redis table).
 */
public final class HashSinkBenchmark {

    private HashSinkBenchmark() {}

    public static void main(String[] args) throws Exception {
        HashScanBenchmark.runMain(
                args, () -> RedisServer.startLocal(List.of()), HashSinkBenchmark::run);
    }

    private static void run(Settings settings, RedisServer server, RedisClient client)
            throws Exception {
        long keys = settings.keys();
        System.out.println("Redis hash sink benchmark");
        System.out.printf(
                Locale.ROOT,
                "  data set   %,d rows, %d fields of %d characters each%n",
                keys,
                HashDataLoader.FIELD_COUNT,
                HashDataLoader.VALUE_LENGTH);
        HashScanBenchmark.printEnvironment(server);
        System.out.printf(
                Locale.ROOT,
                "  runs       %d warm-up + %d measured per measurement, interleaved, median%n",
                settings.warmups(),
                settings.runs());
        Optional<String> ceiling = redisBenchmark(server, keys);
        System.out.printf(
                Locale.ROOT,
                "  ceiling    redis-benchmark -P 64 -t hset -n %d: %s%n",
                keys,
                ceiling.orElse("redis-benchmark not found on PATH"));

        MiniCluster cluster = HashScanBenchmark.startMiniCluster(1);
        try {
            StreamTableEnvironment tableEnv = HashScanBenchmark.tableEnvironment(cluster, 1);
            createTables(tableEnv, settings, server, keys);
            StreamTableEnvironment streamingEnv =
                    HashScanBenchmark.tableEnvironment(cluster, 1, false);
            createTables(streamingEnv, settings, server, keys);

            Series sink =
                    HashScanBenchmark.jobSeries(
                            "(s) connector sink, datagen -> HSET",
                            settings,
                            cluster,
                            tableEnv,
                            "INSERT INTO hashes SELECT * FROM gen");
            Series streaming =
                    HashScanBenchmark.jobSeries(
                            "(t) connector sink, the same in streaming mode",
                            settings,
                            cluster,
                            streamingEnv,
                            "INSERT INTO hashes SELECT * FROM gen");
            Series deadLetter =
                    HashScanBenchmark.jobSeries(
                            "(d) the same with error policy dead-letter",
                            settings,
                            cluster,
                            tableEnv,
                            "INSERT INTO hashes_dl SELECT * FROM gen");
            Series generate =
                    HashScanBenchmark.jobSeries(
                            "(g) datagen -> blackhole (making the rows)",
                            settings,
                            cluster,
                            tableEnv,
                            "INSERT INTO discard SELECT * FROM gen");
            Series baseline =
                    new Series(
                            "(b) Lettuce baseline (pipelined HSET)",
                            settings,
                            HashScanBenchmark.BASELINE_THREADS,
                            () -> {
                                long t0 = System.nanoTime();
                                HashDataLoader.load(client, "base:", keys);
                                return new Run((System.nanoTime() - t0) / 1e9, Double.NaN);
                            });
            List<Series> all = List.of(sink, streaming, deadLetter, generate, baseline);
            HashScanBenchmark.runInterleaved(settings, all, List.of(client));
            try (StatefulRedisConnection<String, String> c = client.connect()) {
                if (c.sync().exists("dlq") > 0) {
                    throw new IllegalStateException(
                            "rows were dead-lettered: " + c.sync().xlen("dlq"));
                }
                String probe = Long.toString(keys / 2);
                Map<String, String> written = c.sync().hgetall("sink:" + probe);
                if (written.size() != HashDataLoader.FIELD_COUNT
                        || !written.equals(c.sync().hgetall("base:" + probe))) {
                    throw new IllegalStateException(
                            "sink:"
                                    + probe
                                    + " holds "
                                    + written
                                    + ", not what base:"
                                    + probe
                                    + " holds");
                }
            }
            System.out.println();
            System.out.printf(
                    Locale.ROOT, "Results: %,d rows, median of %d runs%n", keys, settings.runs());
            HashScanBenchmark.printTable(all);
            System.out.printf(
                    Locale.ROOT,
                    "(s)/(b) connector vs. Lettuce baseline    %5.2f   target >= 0.90   %s%n",
                    sink.medianRowsPerSecond() / baseline.medianRowsPerSecond(),
                    sink.medianRowsPerSecond() / baseline.medianRowsPerSecond() >= 0.9
                            ? "met"
                            : "NOT MET");
            System.out.printf(
                    Locale.ROOT,
                    "(t)/(b) the same in streaming mode        %5.2f   target >= 0.90   %s%n",
                    streaming.medianRowsPerSecond() / baseline.medianRowsPerSecond(),
                    streaming.medianRowsPerSecond() / baseline.medianRowsPerSecond() >= 0.9
                            ? "met"
                            : "NOT MET");
            double dl = deadLetter.medianRowsPerSecond() / sink.medianRowsPerSecond();
            System.out.printf(
                    Locale.ROOT,
                    "(d)/(s) dead-letter policy vs. default    %5.2f   target >= 0.95   %s%n",
                    dl,
                    dl >= 0.95 ? "met" : "NOT MET");
            HashScanBenchmark.printLoadAverage();
        } finally {
            cluster.close();
        }
    }

    /**
     * The rows, the redis table and the blackhole of the benchmark. The rows are those the baseline
     * writes: {@code datagen}'s sequence of ids, each field {@code f<j>} the 10 zero-padded digits
     * of {@code id * 10 + j} ({@link HashDataLoader#value}), computed by the job.
     */
    private static void createTables(
            StreamTableEnvironment tableEnv, Settings settings, RedisServer server, long keys) {
        StringBuilder fields = new StringBuilder();
        StringBuilder values = new StringBuilder();
        for (int j = 0; j < HashDataLoader.FIELD_COUNT; j++) {
            fields.append(", f").append(j).append(" STRING");
            values.append(", LPAD(CAST(MOD(id * ")
                    .append(HashDataLoader.FIELD_COUNT)
                    .append(" + ")
                    .append(j)
                    .append(", 10000000000) AS STRING), ")
                    .append(HashDataLoader.VALUE_LENGTH)
                    .append(", '0') AS f")
                    .append(j);
        }
        tableEnv.executeSql(
                "CREATE TABLE ids (id BIGINT) WITH ('connector' = 'datagen', 'number-of-rows' = '"
                        + keys
                        + "', 'rows-per-second' = '1000000000', 'fields.id.kind' ="
                        + " 'sequence', 'fields.id.start' = '0', 'fields.id.end' = '"
                        + (keys - 1)
                        + "')");
        tableEnv.executeSql("CREATE VIEW gen AS SELECT id" + values + " FROM ids");
        StringBuilder extra = new StringBuilder();
        settings.tableOptions()
                .forEach(
                        (k, v) ->
                                extra.append(", '")
                                        .append(k)
                                        .append("' = '")
                                        .append(v)
                                        .append("'"));
        tableEnv.executeSql(
                "CREATE TABLE hashes (id BIGINT"
                        + fields
                        + ", PRIMARY KEY (id) NOT ENFORCED) WITH ('connector' = 'redis',"
                        + " 'url' = '"
                        + server.url()
                        + "', 'key.prefix' = 'sink:'"
                        + extra
                        + ")");
        tableEnv.executeSql(
                "CREATE TABLE hashes_dl (id BIGINT"
                        + fields
                        + ", PRIMARY KEY (id) NOT ENFORCED) WITH ('connector' = 'redis',"
                        + " 'url' = '"
                        + server.url()
                        + "', 'key.prefix' = 'sinkdl:', 'sink.error-policy' = 'dead-letter',"
                        + " 'sink.dead-letter.stream' = 'dlq'"
                        + extra
                        + ")");
        tableEnv.executeSql(
                "CREATE TABLE discard (id BIGINT" + fields + ") WITH ('connector' = 'blackhole')");
    }

    /** The summary line of {@code redis-benchmark -P 64 -t hset}, if the tool is on PATH. */
    private static Optional<String> redisBenchmark(RedisServer server, long requests) {
        try {
            Process p =
                    new ProcessBuilder(
                                    "redis-benchmark",
                                    "-h",
                                    server.host(),
                                    "-p",
                                    Integer.toString(server.port()),
                                    "-P",
                                    "64",
                                    "-t",
                                    "hset",
                                    "-n",
                                    Long.toString(requests),
                                    "-q")
                            .redirectErrorStream(true)
                            .start();
            List<String> lines = new ArrayList<>();
            try (BufferedReader in =
                    new BufferedReader(
                            new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    // -q prints progress with carriage returns, then the result
                    String[] parts = line.split("\r");
                    lines.add(parts[parts.length - 1].trim());
                }
            }
            p.waitFor(5, TimeUnit.MINUTES);
            return lines.stream().filter(l -> l.contains("requests per second")).findFirst();
        } catch (java.io.IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
