package io.github.flinkredis.connector;

import io.github.flinkredis.testutils.RedisCluster;
import io.github.flinkredis.testutils.RedisExtension;
import io.github.flinkredis.testutils.RedisServer;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * Base of the ITCases: a Flink MiniCluster (1 TaskManager, 4 slots), a real Redis deployment that
 * is flushed before each test, a plain Lettuce client for setup and checks, and a table environment
 * in batch mode.
 *
 * <p>Subclasses annotated {@code @ParameterizedClass @ValueSource(strings = {"standalone",
 * "cluster"})} that return their {@code @Parameter} from {@link #deployment()} run every test
 * against a standalone server and against a Redis Cluster of 3 primaries and 3 replicas, with the
 * same assertions; others run against the standalone server.
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

    /** The standalone server (always available, also for cluster-parameterized tests). */
    protected RedisServer redis;

    /** The cluster, when {@link #deployment} is "cluster"; else null. */
    protected RedisCluster cluster;

    protected RedisTestClient client;
    protected StreamTableEnvironment tEnv;

    @BeforeEach
    void setUpRedis(RedisServer server, RedisCluster sharedCluster) throws Exception {
        this.redis = serverUnderTest(server);
        if (isCluster()) {
            cluster = clusterUnderTest(sharedCluster);
            client = RedisTestClient.cluster(cluster.seedUrls());
        } else {
            client = RedisTestClient.standalone(redis.url());
        }
        client.flushAll();
        client.resetStats();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        tEnv = StreamTableEnvironment.create(env, EnvironmentSettings.inBatchMode());
    }

    @AfterEach
    void closeClient() {
        client.close();
    }

    /** The standalone server of the tests: by default the shared one of {@link RedisExtension}. */
    protected RedisServer serverUnderTest(RedisServer shared) throws Exception {
        return shared;
    }

    /** The cluster of the cluster-parameterized tests: by default the shared one. */
    protected RedisCluster clusterUnderTest(RedisCluster shared) throws Exception {
        return shared;
    }

    /** "standalone" or "cluster". */
    protected String deployment() {
        return "standalone";
    }

    protected boolean isCluster() {
        return "cluster".equals(deployment());
    }

    /** The 'url' of the deployment under test. */
    protected String redisUrl() {
        return isCluster() ? cluster.seedUrls() : redis.url();
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

    /** The WITH clause options of the deployment under test and the given extra options. */
    protected String with(String... options) {
        StringBuilder sb =
                new StringBuilder("'connector' = 'redis', 'url' = '")
                        .append(redisUrl())
                        .append("'");
        for (int i = 0; i < options.length; i += 2) {
            sb.append(", '").append(options[i]).append("' = '").append(options[i + 1]).append("'");
        }
        return sb.toString();
    }

    /** {@code base} and then {@code extra}: a test's fixed table options and its own ones. */
    protected static String[] concat(String[] base, String... extra) {
        String[] all = java.util.Arrays.copyOf(base, base.length + extra.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return all;
    }

    /** A derived table {@code (VALUES (1), (2), ..., (n)) AS v(n)}: one source, rows in order. */
    protected static String numbers(int n) {
        return java.util.stream.IntStream.rangeClosed(1, n)
                .mapToObj(i -> "(" + i + ")")
                .collect(java.util.stream.Collectors.joining(", ", "(VALUES ", ") AS v(n)"));
    }

    /** The repository root. */
    protected static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    /** The statements of every ```sql block of a Markdown file, comments removed. */
    static List<String> sqlStatements(Path markdown) throws Exception {
        return sqlStatements(markdown, "```sql");
    }

    /**
     * The statements of the code blocks of {@code markdown} that open with exactly {@code fence}
     * (e.g. {@code ```sql redis-7.4} for examples that need a newer server than the tests').
     */
    static List<String> sqlStatements(Path markdown, String fence) throws Exception {
        List<String> statements = new ArrayList<>();
        boolean inSql = false;
        StringBuilder current = new StringBuilder();
        for (String line : Files.readAllLines(markdown)) {
            if (line.startsWith("```")) {
                inSql = line.equals(fence);
                continue;
            }
            if (!inSql) {
                continue;
            }
            int comment = line.indexOf("--");
            String code = comment >= 0 ? line.substring(0, comment) : line;
            current.append(code).append('\n');
            if (code.trim().endsWith(";")) {
                String s = current.toString().trim();
                statements.add(s.substring(0, s.length() - 1));
                current.setLength(0);
            }
        }
        return statements;
    }

    /**
     * Runs the SQL examples of a Markdown file of the repository ({@code README.md}, {@code
     * docs/json.md}, ...) against the standalone server under test (its URL in place of {@code
     * redis://localhost:6379}); returns the rows of its queries.
     */
    protected List<Row> runMarkdownSql(String file) throws Exception {
        return runMarkdownSql(file, "```sql");
    }

    /** {@link #runMarkdownSql(String)} of the blocks that open with exactly {@code fence}. */
    protected List<Row> runMarkdownSql(String file, String fence) throws Exception {
        List<Row> rows = new ArrayList<>();
        for (String statement : sqlStatements(ROOT.resolve(file), fence)) {
            String sql = statement.replace("redis://localhost:6379", redis.url());
            String verb = sql.trim().toUpperCase();
            if (verb.startsWith("SELECT")) {
                rows.addAll(query(sql));
            } else if (verb.startsWith("INSERT")) {
                tEnv.executeSql(sql).await();
            } else {
                tEnv.executeSql(sql);
            }
        }
        return rows;
    }
}
