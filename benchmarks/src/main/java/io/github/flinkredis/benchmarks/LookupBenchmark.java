package io.github.flinkredis.benchmarks;

import io.github.flinkredis.benchmarks.HashScanBenchmark.Run;
import io.github.flinkredis.benchmarks.HashScanBenchmark.Series;
import io.github.flinkredis.benchmarks.HashScanBenchmark.Settings;
import io.github.flinkredis.connector.config.RedisConnectionConfig;
import io.github.flinkredis.connector.lookup.RedisAsyncLookupFunction;
import io.github.flinkredis.connector.model.RedisRecordDeserializer;
import io.github.flinkredis.testutils.RedisServer;
import io.lettuce.core.RedisClient;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;

/**
 * Throughput of lookup joins: {@code bench.keys} lookups against {@code bench.keys} hashes of ten
 * 10-character fields ({@link HashDataLoader}), one per key, in the modes a redis table offers, in
 * one run:
 *
 * <ol>
 *   <li>(s) sync ({@code 'lookup.async' = 'false'}), no cache: {@code HMGET key f0 f1} per lookup,
 *       one round trip at a time;
 *   <li>(a) async ({@code 'lookup.async' = 'true'}), no cache: Flink's default 100 lookups in
 *       flight, pipelined on one connection;
 *   <li>(m) the yardstick of (a): {@link MinimalLookupFactory}'s minimal {@code
 *       AsyncLookupFunction} in the same join ({@code HMGET user:<id> f0 f1} on one Lettuce
 *       connection, a {@code GenericRowData} of {@code StringData}; no cache, retries or metrics),
 *       with the same Flink async settings as (a) (the defaults: 100 in flight, ordered output);
 *   <li>(p) sync with a PARTIAL cache, the lookups spread over 10,000 keys: 10,000 HMGETs, the rest
 *       from the cache;
 *   <li>(f) FULL cache: the whole table loaded once by a scan, then every lookup from the cache
 *       (load included);
 *   <li>(g) the same rows without the join, into a blackhole: the cost of making them;
 *   <li>(d) the DataStream API: {@code fromSequence} ids through {@code
 *       AsyncDataStream.orderedWait} with a {@link RedisAsyncLookupFunction} ({@code HMGET
 *       user:<id> f0 f1}, 100 in flight, as (a)) into a discarding sink.
 * </ol>
 *
 * <p>Each job: {@code INSERT INTO discard SELECT o.id, u.f0, u.f1 FROM gen AS o JOIN users FOR
 * SYSTEM_TIME AS OF o.pt AS u ON o.k = u.id}, {@code gen} being Flink's {@code datagen} with a
 * sequence, in streaming mode at parallelism 1. Besides the results table, the report gives the CPU
 * seconds per 1,000,000 lookups of (s), (a) and (m): of this JVM, which runs the MiniCluster and
 * the job (process CPU time of the measured runs, from {@code executeSql} to the end of the job),
 * and of the Redis server ({@code INFO cpu}). Targets: (a) at least 5x (s); (a) at least as fast as
 * (m) (lookups/s), with at most 1.1x (m)'s JVM CPU per lookup. A target missed is reported, not an
 * error. Settings as for {@link HashScanBenchmark} ({@code bench.keys}, {@code bench.runs}, {@code
 * bench.warmups}).
 */
public final class LookupBenchmark {

    private static final double TARGET_ASYNC_VS_SYNC = 5;
    private static final double TARGET_ASYNC_VS_MINIMAL = 1;
    private static final double TARGET_ASYNC_VS_MINIMAL_CPU = 1.1;
    private static final int HOT_KEYS = 10_000;

    private LookupBenchmark() {}

    public static void main(String[] args) throws Exception {
        HashScanBenchmark.runMain(
                args, () -> RedisServer.startLocal(List.of()), LookupBenchmark::run);
    }

    private static void run(Settings settings, RedisServer server, RedisClient client)
            throws Exception {
        long keys = settings.keys();
        System.out.println("Redis lookup join benchmark");
        System.out.printf(
                Locale.ROOT,
                "  data set   %,d hashes of %d fields of %d characters; %,d lookups per run%n",
                keys,
                HashDataLoader.FIELD_COUNT,
                HashDataLoader.VALUE_LENGTH,
                keys);
        HashScanBenchmark.printEnvironment(server);
        System.out.printf(
                Locale.ROOT,
                "  runs       %d warm-up + %d measured per measurement, interleaved, median%n",
                settings.warmups(),
                settings.runs());
        HashDataLoader.load(client, "user:", keys);

        MiniCluster cluster = HashScanBenchmark.startMiniCluster(1);
        try {
            URI rest = cluster.getRestAddress().get();
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.createRemoteEnvironment(
                            rest.getHost(), rest.getPort(), new Configuration());
            env.setParallelism(1);
            StreamTableEnvironment tableEnv =
                    StreamTableEnvironment.create(env, EnvironmentSettings.inStreamingMode());
            createTables(tableEnv, server.url(), keys);
            verify(tableEnv);
            verifyDataStream(env, server.url());

            List<Series> all = new ArrayList<>();
            Series sync = join(settings, cluster, tableEnv, "(s) sync, no cache", "users", "id");
            Series async =
                    join(settings, cluster, tableEnv, "(a) async, no cache", "users_async", "id");
            Series minimal =
                    join(
                            settings,
                            cluster,
                            tableEnv,
                            "(m) minimal AsyncLookupFunction (HMGET only)",
                            "users_minimal",
                            "id");
            Series partial =
                    join(
                            settings,
                            cluster,
                            tableEnv,
                            "(p) sync, PARTIAL cache, " + HOT_KEYS + " keys",
                            "users_partial",
                            "id % " + HOT_KEYS);
            Series full =
                    join(
                            settings,
                            cluster,
                            tableEnv,
                            "(f) FULL cache (load included)",
                            "users_full",
                            "id");
            Series generate =
                    HashScanBenchmark.jobSeries(
                            "(g) datagen -> blackhole (making the rows)",
                            settings,
                            cluster,
                            tableEnv,
                            "INSERT INTO discard SELECT id, 'a', 'b' FROM gen");
            Series dataStream =
                    new Series(
                            "(d) DataStream RedisAsyncLookupFunction",
                            settings,
                            HashScanBenchmark.FLINK_THREADS,
                            () -> dataStreamLookups(env, server.url(), keys));
            all.add(sync);
            all.add(async);
            all.add(minimal);
            all.add(partial);
            all.add(full);
            all.add(generate);
            all.add(dataStream);
            String only = System.getProperty("bench.only", "").trim();
            if (!only.isEmpty()) {
                // e.g. "a,m": for a profile of some modes; the targets need them all
                List<String> modes = List.of(only.split("\\s*,\\s*"));
                all.removeIf(s -> !modes.contains(s.name.substring(1, s.name.indexOf(')'))));
            }
            HashScanBenchmark.runInterleaved(settings, all, List.of(client));
            System.out.println();
            System.out.printf(
                    Locale.ROOT,
                    "Results: %,d lookups, median of %d runs%n",
                    keys,
                    settings.runs());
            HashScanBenchmark.printTable(all);
            if (!only.isEmpty()) {
                System.out.println("bench.only = " + only + ": no ratios or targets");
                return;
            }
            printCpuPerLookup(List.of(sync, async, minimal));
            double ratio = async.medianRowsPerSecond() / sync.medianRowsPerSecond();
            System.out.printf(
                    Locale.ROOT,
                    "(a)/(s) async vs. sync                   %5.2f   target >= %.1f    %s%n",
                    ratio,
                    TARGET_ASYNC_VS_SYNC,
                    ratio >= TARGET_ASYNC_VS_SYNC ? "met" : "NOT MET");
            double vsMinimal = async.medianRowsPerSecond() / minimal.medianRowsPerSecond();
            System.out.printf(
                    Locale.ROOT,
                    "(a)/(m) async vs. minimal, lookups/s     %5.2f   target >= %.1f    %s%n",
                    vsMinimal,
                    TARGET_ASYNC_VS_MINIMAL,
                    vsMinimal >= TARGET_ASYNC_VS_MINIMAL ? "met" : "NOT MET");
            double cpuVsMinimal = jvmCpuPerLookup(async) / jvmCpuPerLookup(minimal);
            System.out.printf(
                    Locale.ROOT,
                    "(a)/(m) JVM CPU per lookup               %5.2f   target <= %.1f    %s%n",
                    cpuVsMinimal,
                    TARGET_ASYNC_VS_MINIMAL_CPU,
                    cpuVsMinimal <= TARGET_ASYNC_VS_MINIMAL_CPU ? "met" : "NOT MET");
            System.out.printf(
                    Locale.ROOT,
                    "(a)/(m) Redis CPU per lookup             %5.2f%n",
                    async.perRun.redisCpu() / minimal.perRun.redisCpu());
            System.out.printf(
                    Locale.ROOT,
                    "(d)/(a) DataStream vs. SQL async lookups %5.2f%n",
                    dataStream.medianRowsPerSecond() / async.medianRowsPerSecond());
            HashScanBenchmark.printLoadAverage();
            System.out.println(
                    "rows/s = lookups / median wall time of a run (from executeSql to the end of"
                            + " the job).");
            System.out.println(
                    "CPU per lookup: mean CPU seconds of a measured run (JVM: the process, i.e."
                            + " MiniCluster and job; Redis: INFO cpu) per lookup.");
        } finally {
            cluster.close();
        }
    }

    /**
     * The CPU seconds per 1,000,000 lookups of {@code series}: of this JVM (MiniCluster, planning
     * and the job, all threads) and of the Redis server, means of the measured runs.
     */
    private static void printCpuPerLookup(List<Series> series) {
        System.out.printf(
                Locale.ROOT,
                "%-48s %10s %10s%n",
                "CPU s per 1,000,000 lookups",
                "JVM CPU s",
                "Redis CPU");
        for (Series s : series) {
            System.out.printf(
                    Locale.ROOT,
                    "%-48s %10.2f %10.2f%n",
                    s.name,
                    jvmCpuPerLookup(s) * 1e6,
                    s.perRun.redisCpu() / s.rows * 1e6);
        }
        System.out.println("-".repeat(70));
    }

    /** The mean JVM CPU seconds of one lookup of a measured run of {@code series}. */
    private static double jvmCpuPerLookup(Series series) {
        return series.perRun.jvmCpu() / series.rows;
    }

    /** The DataStream lookups of {@code ids}: 1 for a user with both fields, else 0. */
    private static DataStream<Long> lookups(DataStream<Long> ids, String url) {
        RedisAsyncLookupFunction<Long, Tuple2<String, Map<String, String>>, Long> lookup =
                RedisAsyncLookupFunction.<Long, Tuple2<String, Map<String, String>>, Long>builder()
                        .setConnectionConfig(RedisConnectionConfig.fromUrl(url).build())
                        .setFields("f0", "f1")
                        .setKeyFunction(id -> "user:" + id)
                        .setDeserializer(RedisRecordDeserializer.hashAsMap())
                        .setJoiner((id, user) -> user.f1.size() == 2 ? 1L : 0L, Types.LONG)
                        .build();
        return AsyncDataStream.orderedWait(ids, lookup, 10, TimeUnit.MINUTES, 100);
    }

    private static Run dataStreamLookups(StreamExecutionEnvironment env, String url, long keys)
            throws Exception {
        lookups(env.fromSequence(0, keys - 1), url).sinkTo(new DiscardingSink<>());
        long t0 = System.nanoTime();
        JobExecutionResult result = env.execute("DataStream lookups");
        long wall = System.nanoTime() - t0;
        return new Run(wall / 1e9, result.getNetRuntime(TimeUnit.MILLISECONDS) / 1e3);
    }

    /** Checks, untimed, that the DataStream lookups join every one of 1,000 keys. */
    private static void verifyDataStream(StreamExecutionEnvironment env, String url)
            throws Exception {
        long joined = 0;
        for (Long one : lookups(env.fromSequence(0, 999), url).executeAndCollect(2000)) {
            joined += one;
        }
        if (joined != 1000) {
            throw new IllegalStateException("The DataStream lookups joined " + joined + " of 1000");
        }
    }

    private static Series join(
            Settings settings,
            MiniCluster cluster,
            StreamTableEnvironment tableEnv,
            String name,
            String table,
            String key) {
        String insert =
                String.format(
                        "INSERT INTO discard SELECT o.id, u.f0, u.f1 FROM gen AS o JOIN %s FOR"
                                + " SYSTEM_TIME AS OF o.pt AS u ON %s = u.id",
                        table, key.replace("id", "o.id"));
        return HashScanBenchmark.jobSeries(name, settings, cluster, tableEnv, insert);
    }

    private static void createTables(StreamTableEnvironment tableEnv, String url, long keys) {
        tableEnv.executeSql(
                "CREATE TABLE gen (id BIGINT, pt AS PROCTIME()) WITH ('connector' = 'datagen',"
                        + " 'rows-per-second' = '1000000000', 'fields.id.kind' = 'sequence',"
                        + " 'fields.id.start' = '0', 'fields.id.end' = '"
                        + (keys - 1)
                        + "')");
        tableEnv.executeSql(
                "CREATE TABLE discard (id BIGINT, f0 STRING, f1 STRING) WITH ('connector' ="
                        + " 'blackhole')");
        String redis = "redis";
        String minimal = MinimalLookupFactory.IDENTIFIER;
        String[][] tables = {
            {"users", redis, ", 'lookup.async' = 'false'"},
            {"users_async", redis, ", 'lookup.async' = 'true'"},
            {"users_minimal", minimal, ""},
            {
                "users_partial",
                redis,
                ", 'lookup.async' = 'false', 'lookup.cache' = 'PARTIAL',"
                        + " 'lookup.partial-cache.max-rows' = '"
                        + 2 * HOT_KEYS
                        + "'"
            },
            {
                "users_full",
                redis,
                ", 'lookup.cache' = 'FULL', 'lookup.full-cache.periodic-reload.interval' = '1 h'"
            },
        };
        for (String[] t : tables) {
            tableEnv.executeSql(
                    "CREATE TABLE "
                            + t[0]
                            + " (id BIGINT, f0 STRING, f1 STRING, PRIMARY KEY (id) NOT ENFORCED)"
                            + " WITH ('connector' = '"
                            + t[1]
                            + "', 'url' = '"
                            + url
                            + "', 'key.prefix' = 'user:'"
                            + t[2]
                            + ")");
        }
    }

    /** Checks, untimed, that each mode joins every one of 1,000 keys. */
    private static void verify(StreamTableEnvironment tableEnv) throws Exception {
        tableEnv.executeSql(
                "CREATE TEMPORARY VIEW probe AS SELECT id, PROCTIME() AS pt FROM (SELECT id FROM"
                        + " gen LIMIT 1000)");
        for (String table :
                List.of("users", "users_async", "users_minimal", "users_partial", "users_full")) {
            TableResult result =
                    tableEnv.executeSql(
                            "SELECT COUNT(u.f0), COUNT(DISTINCT o.id) FROM probe AS o JOIN "
                                    + table
                                    + " FOR SYSTEM_TIME AS OF o.pt AS u ON o.id = u.id");
            Row last = null;
            try (CloseableIterator<Row> it = result.collect()) {
                while (it.hasNext()) {
                    last = it.next();
                }
            }
            if (last == null
                    || (Long) last.getField(0) != 1000
                    || (Long) last.getField(1) != 1000) {
                throw new IllegalStateException(table + " joined " + last + " of 1000 keys");
            }
        }
    }
}
