package io.github.flinkredis.benchmarks;

import io.github.flinkredis.benchmarks.HashScanBenchmark.Series;
import io.github.flinkredis.benchmarks.HashScanBenchmark.Settings;
import io.github.flinkredis.testutils.RedisCluster;
import io.github.flinkredis.testutils.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.util.EnvironmentInformation;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;

/**
 * Throughput of the connector's bounded hash scan against a Redis Cluster of {@code bench.shards}
 * primaries (3, no replicas), at parallelism 1 and at parallelism {@code bench.shards}: how much
 * reading the shards in parallel speeds a scan up.
 *
 * <p>The cluster is started for the run from the {@code redis-server} on PATH (see {@link
 * RedisCluster}), on loopback, and holds the data set of {@link HashScanBenchmark} ({@code
 * bench.keys} hashes of ten 10-byte fields), loaded with pipelined HSETs through a Lettuce cluster
 * connection. The measurements, interleaved like the hash benchmark's:
 *
 * <ol>
 *   <li>(a) {@code INSERT INTO sink SELECT * FROM bench} at parallelism 1: one reader scans the
 *       shards one after the other;
 *   <li>(d) the same job at parallelism {@code bench.shards} (the default parallelism of the job
 *       and {@code scan.parallelism}): one reader per shard.
 * </ol>
 *
 * <p>Redis CPU is summed over the cluster's nodes. Settings as for {@link HashScanBenchmark}, plus
 * {@code bench.shards}; {@code bench.reuse} and {@code REDIS_URL} do not apply.
 */
public final class ClusterScanBenchmark {

    private ClusterScanBenchmark() {}

    /** Runs the benchmark and prints the report on standard output. */
    public static void main(String[] args) throws Exception {
        Settings settings = Settings.parse(args);
        int shards = Integer.parseInt(System.getProperty("bench.shards", "3"));
        if (shards < 1) {
            throw new IllegalArgumentException("Need bench.shards >= 1, got " + shards);
        }
        long started = System.nanoTime();
        try (RedisCluster cluster = RedisCluster.start(shards, 0)) {
            run(settings, shards, cluster);
        }
        System.out.printf(
                Locale.ROOT, "%nTotal time: %.1f s%n", (System.nanoTime() - started) / 1e9);
        // Flink and Netty leave non-daemon threads behind
        System.exit(0);
    }

    private static void run(Settings settings, int shards, RedisCluster cluster) throws Exception {
        String url = cluster.seedUrls();
        System.out.println("Redis Cluster hash scan benchmark");
        System.out.printf(
                Locale.ROOT,
                "  data set   %,d hashes %s<i>, %d fields of %d-byte values each%n",
                settings.keys(),
                HashScanBenchmark.KEY_PREFIX,
                HashDataLoader.FIELD_COUNT,
                HashDataLoader.VALUE_LENGTH);
        System.out.printf(
                Locale.ROOT,
                "  redis      cluster of %d primaries, no replicas, %s%n",
                shards,
                url);
        HashScanBenchmark.printJvm();
        System.out.printf(
                Locale.ROOT,
                "  flink      %s, MiniCluster in this JVM, 1 TaskManager, %d slots%n",
                EnvironmentInformation.getVersion(),
                shards);
        System.out.printf(
                Locale.ROOT,
                "  runs       %d warm-up + %d measured per measurement, interleaved, median"
                        + " reported%n",
                settings.warmups(),
                settings.runs());
        if (!settings.tableOptions().isEmpty()) {
            System.out.printf(
                    Locale.ROOT, "  options    source table WITH %s%n", settings.tableOptions());
        }
        System.out.printf(
                Locale.ROOT,
                "  machine    load average (1 min) at start %s%n%n",
                HashScanBenchmark.loadAverage());

        List<RedisURI> seeds = new ArrayList<>();
        List<RedisClient> nodes = new ArrayList<>();
        for (RedisServer node : cluster.primaries()) {
            seeds.add(RedisURI.create(node.url()));
            nodes.add(RedisClient.create(node.url()));
        }
        RedisClusterClient clusterClient = RedisClusterClient.create(seeds);
        try {
            long t0 = System.nanoTime();
            HashDataLoader.load(clusterClient, HashScanBenchmark.KEY_PREFIX, settings.keys());
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf(
                    Locale.ROOT,
                    "Loaded %,d hashes in %.1f s (%,.0f keys/s)%n",
                    settings.keys(),
                    seconds,
                    settings.keys() / seconds);
            measure(settings, shards, url, nodes);
        } finally {
            clusterClient.shutdown();
            nodes.forEach(RedisClient::shutdown);
        }
    }

    private static void measure(Settings settings, int shards, String url, List<RedisClient> nodes)
            throws Exception {
        MiniCluster miniCluster = HashScanBenchmark.startMiniCluster(shards);
        try {
            StreamTableEnvironment serial = HashScanBenchmark.tableEnvironment(miniCluster, 1);
            HashScanBenchmark.createTables(serial, url, settings.tableOptions());
            HashScanBenchmark.verify(serial, settings.keys());
            StreamTableEnvironment parallel =
                    HashScanBenchmark.tableEnvironment(miniCluster, shards);
            Map<String, String> parallelOptions = new TreeMap<>(settings.tableOptions());
            parallelOptions.put("scan.parallelism", Integer.toString(shards));
            HashScanBenchmark.createTables(parallel, url, parallelOptions);

            String insert = "INSERT INTO sink SELECT * FROM bench";
            Series one =
                    new Series(
                            "(a) connector, SELECT *, parallelism 1",
                            settings,
                            HashScanBenchmark.FLINK_THREADS,
                            () -> HashScanBenchmark.runJob(miniCluster, serial, insert));
            Series all =
                    new Series(
                            "(d) connector, SELECT *, parallelism " + shards,
                            settings,
                            HashScanBenchmark.FLINK_THREADS,
                            () -> HashScanBenchmark.runJob(miniCluster, parallel, insert));
            List<Series> series = List.of(one, all);
            HashScanBenchmark.runInterleaved(settings, series, nodes);

            System.out.println();
            System.out.printf(
                    Locale.ROOT,
                    "Results: %,d keys in %d shards, median of %d runs, max heap %s%n",
                    settings.keys(),
                    shards,
                    settings.runs(),
                    HashScanBenchmark.mib(Runtime.getRuntime().maxMemory()));
            HashScanBenchmark.printTable(series);
            System.out.printf(
                    Locale.ROOT,
                    "(d)/(a) speed-up of %d readers over 1     %5.2f%n",
                    shards,
                    all.medianRowsPerSecond() / one.medianRowsPerSecond());
            HashScanBenchmark.printLoadAverage();
            System.out.println(
                    "Redis CPU = CPU seconds of all the cluster's nodes (INFO cpu) per measured"
                            + " run.");
        } finally {
            miniCluster.close();
        }
    }
}
