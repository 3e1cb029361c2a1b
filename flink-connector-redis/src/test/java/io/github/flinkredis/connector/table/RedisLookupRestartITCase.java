package io.github.flinkredis.connector.table;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flinkredis.connector.RedisTestClient;
import io.github.flinkredis.testutils.RedisCluster;
import io.github.flinkredis.testutils.RedisServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.table.functions.ScalarFunction;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A Redis server, or a primary of a Redis Cluster (with an append-only file, so that its data
 * survives), restarted while a lookup join reads from it: the lookups reconnect, retry (through
 * CLUSTERDOWN while a restarted cluster node meets its peers again) and every order is joined.
 */
class RedisLookupRestartITCase {

    /** Keeps the job's metrics after it ends. */
    private static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setConfiguration(METRICS.addToConfiguration(new Configuration()))
                            .build());

    private static final int ORDERS = 1_000;
    private static final int USERS = 100;

    /** The server the probe side's function restarts, in the task thread. */
    private static volatile RedisServer server;

    private static final AtomicBoolean RESTARTED = new AtomicBoolean();

    private RedisCluster cluster;
    private RedisTestClient client;

    @AfterEach
    void stopServers() {
        client.close();
        if (cluster != null) {
            cluster.close();
        } else {
            server.close();
        }
    }

    @ParameterizedTest(name = "{0}, async {1}")
    @CsvSource({"standalone, false", "standalone, true", "cluster, false", "cluster, true"})
    void everyOrderIsJoinedAcrossARestart(String deployment, boolean async) throws Exception {
        List<String> persistent = List.of("--appendonly", "yes", "--appendfsync", "always");
        String url;
        if ("cluster".equals(deployment)) {
            cluster = RedisCluster.start(3, 0, persistent);
            server = cluster.primaries().get(0);
            url = cluster.seedUrls();
            client = RedisTestClient.cluster(url);
        } else {
            server = RedisServer.startLocal(persistent);
            url = server.url();
            client = RedisTestClient.standalone(url);
        }
        RESTARTED.set(false);
        client.loadHashes(USERS, i -> "user:" + i, i -> Map.of("name", "n" + i));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        StreamTableEnvironment tEnv =
                StreamTableEnvironment.create(env, EnvironmentSettings.inStreamingMode());
        tEnv.createTemporarySystemFunction("restart_at_half", RestartAtHalf.class);
        tEnv.executeSql(
                "CREATE TEMPORARY VIEW orders AS SELECT oid, restart_at_half(oid) % "
                        + USERS
                        + " AS uid, PROCTIME() AS pt FROM (SELECT CAST(n AS INT) AS oid FROM"
                        + " (VALUES "
                        + values(ORDERS)
                        + ") AS t(n))");
        tEnv.executeSql(
                "CREATE TABLE users (id INT, name STRING, PRIMARY KEY (id) NOT ENFORCED) WITH ("
                        + "'connector' = 'redis', 'url' = '"
                        + url
                        + "', 'key.prefix' = 'user:', 'lookup.async' = '"
                        + async
                        + "', 'lookup.max-retries' = '8', 'connect.timeout' = '2 s',"
                        + " 'command.timeout' = '5 s')");

        TableResult result =
                tEnv.executeSql(
                        "SELECT o.oid, u.name FROM orders AS o LEFT JOIN users FOR SYSTEM_TIME AS"
                                + " OF o.pt AS u ON o.uid = u.id");
        List<Row> rows = new ArrayList<>();
        try (CloseableIterator<Row> it = result.collect()) {
            it.forEachRemaining(rows::add);
        }

        assertThat(RESTARTED).isTrue();
        List<Row> expected = new ArrayList<>();
        for (int i = 0; i < ORDERS; i++) {
            expected.add(Row.of(i, "n" + (i % USERS)));
        }
        assertThat(rows).containsExactlyInAnyOrderElementsOf(expected);
        // one read per order, each found (retries are not counted as reads)
        JobID job = result.getJobClient().orElseThrow().getJobID();
        assertThat(lookupCounter(job, "numLookups")).isEqualTo(ORDERS);
        assertThat(lookupCounter(job, "numLookupMisses")).isZero();
        assertThat(lookupCounter(job, "numLookupFailures")).isZero();
    }

    /** The value of the lookup join's counter {@code name}. */
    private static long lookupCounter(JobID job, String name) {
        Map<String, Metric> found = METRICS.findMetrics(job, name);
        List<Long> values = new ArrayList<>();
        found.forEach(
                (identifier, metric) -> {
                    if (identifier.endsWith("." + name)) {
                        values.add(((Counter) metric).getCount());
                    }
                });
        assertThat(values).as("counters %s in %s", name, found.keySet()).hasSize(1);
        return values.get(0);
    }

    private static String values(int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : ", ").append('(').append(i).append(')');
        }
        return sb.toString();
    }

    /**
     * Returns its argument; restarts {@link #server} once, when the argument is half the orders.
     */
    public static class RestartAtHalf extends ScalarFunction {
        public Integer eval(Integer oid) throws Exception {
            if (oid == ORDERS / 2 && !RESTARTED.getAndSet(true)) {
                server.restart();
            }
            return oid;
        }

        @Override
        public boolean isDeterministic() {
            return false;
        }
    }
}
