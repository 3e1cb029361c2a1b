package io.github.flinkredis.connector.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flinkredis.connector.RedisTestClient;
import io.github.flinkredis.connector.config.RedisConnectionConfig;
import io.github.flinkredis.connector.config.RedisDataType;
import io.github.flinkredis.connector.config.RedisWriteOptions;
import io.github.flinkredis.testutils.RedisCluster;
import io.github.flinkredis.testutils.RedisServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A Redis server, or a primary of a Redis Cluster (with an append-only file, so that its data
 * survives), restarted while a job writes to it: with retries the writer reconnects and goes on;
 * without, the job fails, restarts from its last checkpoint and writes again what came after it.
 * Either way every row is in Redis at the end.
 */
class RedisSinkRestartITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private static final int ROWS = 10_000;

    /** The server restarted by the job's map function in the task thread. */
    private static volatile RedisServer server;

    private static final AtomicBoolean RESTARTED = new AtomicBoolean();

    private static final List<String> PERSISTENT =
            List.of("--appendonly", "yes", "--appendfsync", "always");

    private RedisCluster cluster;
    private RedisTestClient client;

    @BeforeEach
    void reset() {
        RESTARTED.set(false);
    }

    @AfterEach
    void stopServers() {
        client.close();
        if (cluster != null) {
            cluster.close();
        } else {
            server.close();
        }
    }

    @ParameterizedTest(name = "{0}, max retries {1}")
    @CsvSource({"standalone, 8", "standalone, 0", "cluster, 8", "cluster, 0"})
    void everyRowIsInRedisAfterARestartMidJob(String deployment, int maxRetries) throws Exception {
        String url;
        if ("cluster".equals(deployment)) {
            // three primaries without replicas: the restarted one comes back with its slots
            cluster = RedisCluster.start(3, 0, PERSISTENT);
            server = cluster.primaries().get(0);
            url = cluster.seedUrls();
            client = RedisTestClient.cluster(url);
        } else {
            server = RedisServer.startLocal(PERSISTENT);
            url = server.url();
            client = RedisTestClient.standalone(url);
        }
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        // a restarted cluster node answers CLUSTERDOWN until it has met its peers again (~1 s)
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 20);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(300));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        env.enableCheckpointing(100);
        RedisSink<Long> sink =
                LongStringSinks.of(
                        RedisConnectionConfig.fromUrl(url)
                                .connectTimeout(Duration.ofSeconds(2))
                                .commandTimeout(Duration.ofSeconds(5))
                                .build(),
                        new RedisWriteOptions(
                                RedisDataType.STRING,
                                50,
                                Duration.ofMillis(50),
                                2,
                                maxRetries,
                                null),
                        "row:",
                        0);

        env.fromSequence(0, ROWS - 1)
                .map(
                        i -> {
                            if (i == ROWS / 2 && !RESTARTED.getAndSet(true)) {
                                server.restart();
                            }
                            return i;
                        })
                .sinkTo(sink);
        env.execute("writes across a Redis restart");

        assertThat(RESTARTED).isTrue();
        assertThat(client.dbSize()).isEqualTo(ROWS);
        for (long i = 0; i < ROWS; i += 997) {
            assertThat(client.sync().get("row:" + i)).isEqualTo(Long.toString(i));
        }
    }
}
