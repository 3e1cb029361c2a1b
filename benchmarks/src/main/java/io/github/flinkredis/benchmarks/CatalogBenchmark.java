package io.github.flinkredis.benchmarks;

import io.github.flinkredis.benchmarks.HashScanBenchmark.Settings;
import io.github.flinkredis.testutils.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;

/**
 * How long the redis catalog takes to list and describe the tables of a large keyspace: {@code
 * bench.keys} hashes (default 1,000,000) {@code bench:<i>} of ten fields, plus 1,000 strings and
 * 100 sets under other prefixes; {@code SHOW TABLES} (a sample of 10,000 keys, SCAN and TYPE) and
 * {@code DESCRIBE} of the hashes' table (100 keys' HGETALL), each on a new catalog, median of the
 * runs. Planning only: no Flink job runs.
 */
public final class CatalogBenchmark {

    private CatalogBenchmark() {}

    public static void main(String[] args) throws Exception {
        HashScanBenchmark.runMain(
                args, () -> RedisServer.startLocal(List.of()), CatalogBenchmark::run);
    }

    private static void run(Settings settings, RedisServer server, RedisClient client)
            throws Exception {
        long keys = settings.keys();
        System.out.println("Catalog benchmark");
        HashScanBenchmark.printEnvironment(server);
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            c.sync().flushall();
            HashDataLoader.load(client, "bench:", keys);
            for (int i = 0; i < 1000; i++) {
                c.sync().set("visits:" + i, Integer.toString(i));
            }
            for (int i = 0; i < 100; i++) {
                c.sync().sadd("tags:" + i, "a", "b");
            }
            System.out.printf(Locale.ROOT, "  data set   %,d keys%n", c.sync().dbsize());
        }
        TableEnvironment tableEnv = TableEnvironment.create(EnvironmentSettings.inBatchMode());
        List<Double> show = new ArrayList<>();
        List<Double> describe = new ArrayList<>();
        List<String> tables = List.of();
        for (int run = 0; run < settings.warmups() + settings.runs(); run++) {
            String name = "r" + run;
            tableEnv.executeSql(
                    "CREATE CATALOG "
                            + name
                            + " WITH ('type' = 'redis', 'url' = '"
                            + server.url()
                            + "')");
            long t0 = System.nanoTime();
            tables = rows(tableEnv, "SHOW TABLES FROM " + name + ".db0");
            double s = (System.nanoTime() - t0) / 1e9;
            t0 = System.nanoTime();
            List<String> columns = rows(tableEnv, "DESCRIBE " + name + ".db0.bench");
            double d = (System.nanoTime() - t0) / 1e9;
            System.out.printf(
                    Locale.ROOT,
                    "  %s %d: SHOW TABLES %.3f s (%s), DESCRIBE %.3f s (%d columns)%n",
                    run < settings.warmups() ? "warm-up" : "run",
                    run,
                    s,
                    tables,
                    d,
                    columns.size());
            if (run >= settings.warmups()) {
                show.add(s);
                describe.add(d);
            }
            tableEnv.executeSql("DROP CATALOG " + name);
        }
        System.out.printf(
                Locale.ROOT,
                "%nResults: %,d keys, median of %d runs: SHOW TABLES %.3f s, DESCRIBE %.3f s%n",
                keys,
                settings.runs(),
                median(show),
                median(describe));
    }

    private static List<String> rows(TableEnvironment tableEnv, String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (CloseableIterator<Row> it = tableEnv.executeSql(sql).collect()) {
            it.forEachRemaining(r -> out.add(String.valueOf(r.getField(0))));
        }
        return out;
    }

    private static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
