package io.github.flinkredis.connector;

import io.github.flinkredis.testutils.RedisExtension;
import io.github.flinkredis.testutils.RedisServer;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Base of the ITCases: a Flink MiniCluster (1 TaskManager, 4 slots), a real Redis server that is
 * flushed before each test, a plain Lettuce client for setup and checks, and a table environment in
 * batch mode.
 */
@ExtendWith(RedisExtension.class)
public abstract class RedisITCaseBase {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(4)
                            .build());

    protected RedisServer redis;
    protected RedisTestClient client;
    protected StreamTableEnvironment tEnv;

    @BeforeEach
    void setUpRedis(RedisServer server) {
        this.redis = server;
        this.client = new RedisTestClient(server);
        client.sync().flushall();
        client.resetStats();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        tEnv = StreamTableEnvironment.create(env, EnvironmentSettings.inBatchMode());
    }

    @AfterEach
    void closeClient() {
        client.close();
    }

    /** Runs a query to its end and returns every row. */
    protected List<Row> query(String sql) throws Exception {
        TableResult result = tEnv.executeSql(sql);
        List<Row> rows = new ArrayList<>();
        try (CloseableIterator<Row> it = result.collect()) {
            it.forEachRemaining(rows::add);
        }
        return rows;
    }

    /** The WITH clause options shared by most tables: this server and the given extra options. */
    protected String with(String... options) {
        StringBuilder sb =
                new StringBuilder("'connector' = 'redis', 'url' = '")
                        .append(redis.url())
                        .append("'");
        for (int i = 0; i < options.length; i += 2) {
            sb.append(", '").append(options[i]).append("' = '").append(options[i + 1]).append("'");
        }
        return sb.toString();
    }
}
