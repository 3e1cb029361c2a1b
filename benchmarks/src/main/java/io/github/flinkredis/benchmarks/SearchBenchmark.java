package io.github.flinkredis.benchmarks;

import io.github.flinkredis.benchmarks.HashScanBenchmark.Series;
import io.github.flinkredis.benchmarks.HashScanBenchmark.Settings;
import io.github.flinkredis.testutils.RedisServer;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.ArrayOutput;
import io.lettuce.core.output.NestedMultiOutput;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.ProtocolVersion;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;

/**
 * Filters pushed into a RediSearch index against the same filters on a SCAN: {@code bench.keys}
 * hashes (default 1,000,000) {@code bench:s:<i>} of ten fields, {@code f0} to {@code f6} (10-byte
 * values), {@code city} = {@code c<i % 10>} (a TAG), {@code n} = {@code i % 10000} and {@code m} =
 * {@code (i / 10) % 1000} (NUMERIC), indexed by {@code FT.CREATE bench ON HASH PREFIX 1 bench:s:
 * SCHEMA city TAG n NUMERIC m NUMERIC}; the query {@code WHERE n < 1000 AND city = 'c3'} selects 1%
 * of them:
 *
 * <ol>
 *   <li>(q) the connector through the index ({@code 'search.index' = 'auto'}): {@code FT.AGGREGATE}
 *       lists the keys, {@code HMGET} reads them;
 *   <li>(f) the same query with {@code 'search.index' = 'none'}: SCAN and HMGET of every key, the
 *       filter in Flink;
 *   <li>(z) through the index, a query that selects no key: the fixed cost of a job reading through
 *       an index (planning I/O, one FT.AGGREGATE);
 *   <li>(p) a point read of one missing key ({@code WHERE id = -1}, no SCAN, no index): the fixed
 *       cost of any job reading Redis;
 *   <li>(x) one datagen row: Flink's fixed cost of a job, which bounds what (q) can gain;
 *   <li>(g) {@code SELECT city, COUNT(*) ... GROUP BY city} counted by the index (aggregate
 *       pushdown: one {@code FT.AGGREGATE ... GROUPBY 1 @city REDUCE COUNT 0}, no key read);
 *   <li>(c) the same count by Flink over a SCAN ({@code 'search.index' = 'none'});
 *   <li>(h) a hand-written Lettuce {@code FT.AGGREGATE bench * TIMEOUT 2147483647 LOAD 1 @city
 *       GROUPBY 1 @city REDUCE COUNT 0 AS n} returning the same groups, on one open connection
 *       (with {@code TIMEOUT 0}, RediSearch 2.2 cuts it at 500 ms and answers an empty row).
 * </ol>
 *
 * <p>Needs a server with RediSearch: {@code REDIS_STACK_URL}, or {@code REDIS_MODULES} naming
 * redisearch.so for a server started here. Before the runs, both tables' rows are counted and must
 * agree, and so must the counts per city of (g), (c) and (h).
 */
public final class SearchBenchmark {

    private static final String PREFIX = "bench:s:";
    private static final String WHERE = "n < 1000 AND city = 'c3'";

    private SearchBenchmark() {}

    public static void main(String[] args) throws Exception {
        HashScanBenchmark.runMain(
                args,
                () -> HashScanBenchmark.stackServer("SearchBenchmark", "RediSearch"),
                SearchBenchmark::run);
    }

    private static void run(Settings settings, RedisServer server, RedisClient client)
            throws Exception {
        long keys = settings.keys();
        System.out.println("RediSearch filter pushdown benchmark");
        System.out.printf(
                Locale.ROOT,
                "  data set   %,d hashes of 10 fields; TAG city, NUMERIC n and m indexed%n",
                keys);
        HashScanBenchmark.printEnvironment(server);
        load(client, keys);

        MiniCluster cluster = HashScanBenchmark.startMiniCluster(2);
        try {
            StreamTableEnvironment tableEnv = HashScanBenchmark.tableEnvironment(cluster, 1);
            for (String index : List.of("auto", "none")) {
                tableEnv.executeSql(
                        "CREATE TABLE users_"
                                + index
                                + " (id BIGINT, city STRING, n BIGINT, m BIGINT, f0 STRING,"
                                + " PRIMARY KEY (id) NOT ENFORCED) WITH ('connector' = 'redis',"
                                + " 'url' = '"
                                + server.url()
                                + "', 'data-type' = 'hash', 'key.prefix' = '"
                                + PREFIX
                                + "', 'search.index' = '"
                                + index
                                + "')");
            }
            tableEnv.executeSql(
                    "CREATE TABLE discard (id BIGINT, city STRING, n BIGINT, m BIGINT, f0 STRING)"
                            + " WITH ('connector' = 'blackhole')");
            tableEnv.executeSql(
                    "CREATE TABLE discard_counts (city STRING, n BIGINT) WITH ('connector' ="
                            + " 'blackhole')");
            tableEnv.executeSql(
                    "CREATE TABLE one_row (id BIGINT, city STRING, n BIGINT, m BIGINT, f0 STRING)"
                            + " WITH ('connector' = 'datagen', 'number-of-rows' = '1')");
            long selected = count(tableEnv, "users_auto");
            long scanned = count(tableEnv, "users_none");
            if (selected != scanned || selected != keys / 100) {
                throw new IllegalStateException(
                        String.format(
                                "the rows differ: %d through the index, %d with SCAN, %d expected",
                                selected, scanned, keys / 100));
            }
            System.out.printf(Locale.ROOT, "  verified   %,d rows both ways%n", selected);

            Series search =
                    HashScanBenchmark.jobSeries(
                            "(q) connector through the index",
                            settings,
                            cluster,
                            tableEnv,
                            "INSERT INTO discard SELECT * FROM users_auto WHERE " + WHERE);
            search.rows = selected;
            Series scan =
                    HashScanBenchmark.jobSeries(
                            "(f) connector with SCAN, filter in Flink",
                            settings,
                            cluster,
                            tableEnv,
                            "INSERT INTO discard SELECT * FROM users_none WHERE " + WHERE);
            scan.rows = selected;
            Series none =
                    HashScanBenchmark.jobSeries(
                            "(z) connector through the index, a query that selects no key",
                            settings,
                            cluster,
                            tableEnv,
                            "INSERT INTO discard SELECT * FROM users_auto WHERE n < 0 AND city ="
                                    + " 'c3'");
            none.rows = 1;
            Series point =
                    HashScanBenchmark.jobSeries(
                            "(p) a point read of one missing key: a redis job's fixed cost",
                            settings,
                            cluster,
                            tableEnv,
                            "INSERT INTO discard SELECT * FROM users_none WHERE id = -1");
            point.rows = 1;
            Series fixed =
                    HashScanBenchmark.jobSeries(
                            "(x) one datagen row: Flink's fixed cost of a job",
                            settings,
                            cluster,
                            tableEnv,
                            "INSERT INTO discard SELECT * FROM one_row");
            fixed.rows = 1;
            // (h) keeps one connection, speaking RESP2 as the connector's reads through an index
            RedisClient resp2 = RedisClient.create(server.url());
            resp2.setOptions(
                    ClientOptions.builder().protocolVersion(ProtocolVersion.RESP2).build());
            StatefulRedisConnection<String, String> handWritten = resp2.connect();
            Map<String, Long> counts = countsPerCity(handWritten);
            for (String index : List.of("auto", "none")) {
                Map<String, Long> counted = flinkCountsPerCity(tableEnv, "users_" + index);
                if (!counted.equals(counts)) {
                    throw new IllegalStateException(
                            String.format(
                                    "the counts differ: %s from users_%s, %s from FT.AGGREGATE",
                                    counted, index, counts));
                }
            }
            System.out.printf(Locale.ROOT, "  verified   %d counts per city all three ways%n", 10);
            Series grouped =
                    HashScanBenchmark.jobSeries(
                            "(g) COUNT(*) GROUP BY city counted by the index",
                            settings,
                            cluster,
                            tableEnv,
                            "INSERT INTO discard_counts SELECT city, COUNT(*) FROM users_auto"
                                    + " GROUP BY city");
            grouped.rows = counts.size();
            Series flinkCount =
                    HashScanBenchmark.jobSeries(
                            "(c) COUNT(*) GROUP BY city by Flink over a SCAN",
                            settings,
                            cluster,
                            tableEnv,
                            "INSERT INTO discard_counts SELECT city, COUNT(*) FROM users_none"
                                    + " GROUP BY city");
            flinkCount.rows = counts.size();
            Series lettuce =
                    new Series(
                            "(h) hand-written Lettuce FT.AGGREGATE GROUPBY city REDUCE COUNT",
                            settings,
                            HashScanBenchmark.BASELINE_THREADS,
                            () -> {
                                long t0 = System.nanoTime();
                                Map<String, Long> c = countsPerCity(handWritten);
                                long wall = System.nanoTime() - t0;
                                if (!c.equals(counts)) {
                                    throw new IllegalStateException("(h) counted " + c);
                                }
                                return new HashScanBenchmark.Run(wall / 1e9, Double.NaN);
                            });
            lettuce.rows = counts.size();
            List<Series> all =
                    List.of(search, scan, none, point, fixed, grouped, flinkCount, lettuce);
            HashScanBenchmark.runInterleaved(settings, all, List.of(client));
            handWritten.close();
            resp2.shutdown();
            System.out.println();
            System.out.printf(
                    Locale.ROOT,
                    "Results: %,d keys, %,d selected, median of %d runs%n",
                    keys,
                    selected,
                    settings.runs());
            HashScanBenchmark.printTable(all);
            double ratio = scan.medianWall() / search.medianWall();
            System.out.printf(
                    Locale.ROOT,
                    "(f)/(q) wall time, SCAN vs. index      %6.2f   target >= 20   %s%n",
                    ratio,
                    ratio >= 20 ? "met" : "NOT MET");
            System.out.printf(
                    Locale.ROOT,
                    "(f-x)/(q-x) without Flink's fixed cost %6.2f%n",
                    (scan.medianWall() - fixed.medianWall())
                            / (search.medianWall() - fixed.medianWall()));
            double counted = flinkCount.medianWall() / grouped.medianWall();
            System.out.printf(
                    Locale.ROOT,
                    "(c)/(g) COUNT by Flink vs. by the index %6.2f   target >= 20   %s%n",
                    counted,
                    counted >= 20 ? "met" : "NOT MET");
            double lettuceRatio = lettuce.medianWall() / grouped.medianWall();
            System.out.printf(
                    Locale.ROOT,
                    "(h)/(g) Lettuce vs. the connector     %6.4f   target >= 0.9  %s%n",
                    lettuceRatio,
                    lettuceRatio >= 0.9 ? "met" : "NOT MET");
            HashScanBenchmark.printLoadAverage();
        } finally {
            cluster.close();
        }
    }

    private static long count(StreamTableEnvironment tableEnv, String table) throws Exception {
        try (CloseableIterator<Row> rows =
                tableEnv.executeSql("SELECT id FROM " + table + " WHERE " + WHERE).collect()) {
            long n = 0;
            while (rows.hasNext()) {
                rows.next();
                n++;
            }
            return n;
        }
    }

    /** The users per city, counted by Flink reading {@code table}. */
    private static Map<String, Long> flinkCountsPerCity(
            StreamTableEnvironment tableEnv, String table) throws Exception {
        Map<String, Long> counts = new TreeMap<>();
        try (CloseableIterator<Row> rows =
                tableEnv.executeSql("SELECT city, COUNT(*) FROM " + table + " GROUP BY city")
                        .collect()) {
            while (rows.hasNext()) {
                Row row = rows.next();
                counts.put((String) row.getField(0), (Long) row.getField(1));
            }
        }
        return counts;
    }

    /** (h): the users per city, from one hand-written FT.AGGREGATE. */
    private static Map<String, Long> countsPerCity(StatefulRedisConnection<String, String> c) {
        CommandArgs<String, String> args = new CommandArgs<>(StringCodec.UTF8);
        for (String arg :
                List.of(
                        "bench",
                        "*",
                        "TIMEOUT",
                        "2147483647",
                        "LOAD",
                        "1",
                        "@city",
                        "GROUPBY",
                        "1",
                        "@city",
                        "REDUCE",
                        "COUNT",
                        "0",
                        "AS",
                        "n")) {
            args.add(arg);
        }
        List<Object> reply =
                c.sync()
                        .dispatch(
                                CommandType.FT_AGGREGATE,
                                new ArrayOutput<>(StringCodec.UTF8),
                                args);
        Map<String, Long> counts = new TreeMap<>();
        for (Object row : reply.subList(1, reply.size())) {
            List<?> fields = (List<?>) row;
            if (fields.size() < 4) {
                throw new IllegalStateException("FT.AGGREGATE answered " + reply);
            }
            counts.put(
                    String.valueOf(fields.get(1)), Long.parseLong(String.valueOf(fields.get(3))));
        }
        return counts;
    }

    /**
     * Drops the index and the keys, creates the index, then writes the hashes (indexed as written).
     */
    private static void load(RedisClient client, long keys) {
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            try {
                c.sync()
                        .dispatch(
                                CommandType.FT_DROPINDEX,
                                new StatusOutput<>(StringCodec.UTF8),
                                new CommandArgs<>(StringCodec.UTF8).add("bench").add("DD"));
            } catch (RuntimeException absent) {
                // the first run
            }
            c.sync().flushall();
            CommandArgs<String, String> create = new CommandArgs<>(StringCodec.UTF8);
            for (String arg :
                    List.of(
                            "bench", "ON", "HASH", "PREFIX", "1", PREFIX, "SCHEMA", "city", "TAG",
                            "n", "NUMERIC", "m", "NUMERIC")) {
                create.add(arg);
            }
            c.sync()
                    .dispatch(
                            CommandType.FT_CREATE,
                            new NestedMultiOutput<>(StringCodec.UTF8),
                            create);
            long t0 = System.nanoTime();
            c.setAutoFlushCommands(false);
            List<RedisFuture<Long>> batch = new ArrayList<>();
            for (long i = 0; i < keys; i++) {
                Map<String, String> hash = new LinkedHashMap<>();
                for (int j = 0; j < 7; j++) {
                    hash.put("f" + j, new String(HashDataLoader.value(i * 7 + j)));
                }
                hash.put("city", "c" + (i % 10));
                hash.put("n", Long.toString(i % 10_000));
                hash.put("m", Long.toString((i / 10) % 1000));
                batch.add(c.async().hset(PREFIX + i, hash));
                if (batch.size() == 1000 || i == keys - 1) {
                    c.flushCommands();
                    if (!LettuceFutures.awaitAll(
                            Duration.ofSeconds(60), batch.toArray(new RedisFuture<?>[0]))) {
                        throw new IllegalStateException("Redis did not answer the HSETs");
                    }
                    batch.clear();
                }
            }
            c.setAutoFlushCommands(true);
            System.out.printf(
                    Locale.ROOT,
                    "  loaded     %,d hashes in %.1f s (indexed as written)%n",
                    keys,
                    (System.nanoTime() - t0) / 1e9);
        }
    }
}
