package io.github.flinkredis.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flinkredis.examples.SampleData;
import io.github.flinkredis.examples.SampleData.User;
import io.github.flinkredis.testutils.RedisServer;
import io.github.flinkredis.testutils.RedisStack;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.ValueOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.ProtocolKeyword;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Streaming mode, the SQL client's default, on each supported Flink version: the sample data loaded
 * by {@code data/load.sql} in streaming mode, and the updating and insert-only queries and the sync
 * and async lookup joins of {@code scenarios/changelog.sql} (on Flink 2.3 and later also the {@code
 * ```sql flink-2.3} examples of docs/sink.md, which use {@code ON CONFLICT}). Each run must exit 0
 * without an {@code [ERROR]}, and Redis must hold exactly the queries' results, read with plain
 * commands.
 */
class StreamingSqlE2ECase {

    private static final String BATCH = "SET 'execution.runtime-mode' = 'batch';";

    private static final String STREAMING = "SET 'execution.runtime-mode' = 'streaming';";

    /** The fence of the docs' examples that need Flink 2.3 or later. */
    private static final String FLINK_2_3_SQL = "```sql flink-2.3";

    private static RedisServer redis;
    private static boolean ownRedis;
    private static boolean json;
    private static RedisClient client;
    private static StatefulRedisConnection<String, String> connection;

    @BeforeAll
    static void startRedis() throws IOException {
        redis = RedisStack.server().orElse(null);
        ownRedis = redis == null;
        if (ownRedis) {
            redis = RedisServer.start();
        }
        json = SampleData.hasJson(redis.url());
        client = RedisClient.create(redis.url());
        connection = client.connect();
    }

    @AfterAll
    static void stopRedis() {
        if (connection != null) {
            connection.close();
            client.shutdown();
        }
        if (redis != null && ownRedis) {
            redis.close();
        }
    }

    static List<FlinkSqlClient> flinkVersions() throws IOException {
        return FlinkSqlClient.fromSystemProperty();
    }

    private static RedisCommands<String, String> redis() {
        return connection.sync();
    }

    @ParameterizedTest(name = "Flink {0}")
    @MethodSource("flinkVersions")
    void theSampleDataLoadsInStreamingMode(FlinkSqlClient flink) throws Exception {
        // every key of the examples (the server may be shared with SqlClientE2ECase)
        deleteKeys("example:*");
        Path dir = SqlClientE2ECase.workDir(flink, "sample-data-streaming");
        Path data = Files.createDirectories(dir.resolve("data"));
        SampleData.writeCsv(data);
        String batch = SampleData.loadScript(redis.url(), data, json);
        assertThat(batch).contains(BATCH);
        Path script = dir.resolve("load.sql");
        Files.writeString(script, batch.replace(BATCH, STREAMING));

        SqlClientE2ECase.runClean(flink, script, dir, "sample-data-streaming", json ? 2 : 1);
        assertSampleDataInRedis();
    }

    /** Redis holds exactly the sample data: every key under "example:" with its value. */
    private static void assertSampleDataInRedis() {
        List<User> users = SampleData.users();
        TreeSet<String> expectedKeys = new TreeSet<>();
        expectedKeys.add(SampleData.LEADERBOARD);
        Map<String, Double> expectedBoard = new TreeMap<>();
        for (User u : users) {
            String user = SampleData.USER_PREFIX + u.id;
            String visits = SampleData.VISITS_PREFIX + u.id;
            String tags = SampleData.TAGS_PREFIX + u.id;
            String views = SampleData.VIEWS_PREFIX + u.id;
            expectedKeys.addAll(List.of(user, visits, tags, views));
            assertThat(redis().hgetall(user)).as(user).isEqualTo(u.fields());
            assertThat(redis().get(visits)).as(visits).isEqualTo(Integer.toString(u.visits()));
            assertThat(new TreeSet<>(redis().smembers(tags))).as(tags).isEqualTo(u.tags());
            assertThat(redis().lrange(views, 0, -1)).as(views).isEqualTo(u.views());
            expectedBoard.put(u.name, u.points());
            if (json) {
                String profile = SampleData.PROFILE_PREFIX + u.id;
                expectedKeys.add(profile);
                assertThat(jsonGet(profile)).as(profile).isEqualTo(u.profileJson());
            }
        }
        Map<String, Double> board = new TreeMap<>();
        for (ScoredValue<String> v : redis().zrangeWithScores(SampleData.LEADERBOARD, 0, -1)) {
            board.put(v.getValue(), v.getScore());
        }
        assertThat(board).isEqualTo(expectedBoard);
        assertThat(new TreeSet<>(redis().keys("example:*"))).isEqualTo(expectedKeys);
    }

    /** {@code JSON.GET key}: the document as compact JSON text. */
    private static String jsonGet(String key) {
        return redis().dispatch(
                        JsonCommand.JSON_GET,
                        new ValueOutput<>(StringCodec.UTF8),
                        new CommandArgs<>(StringCodec.UTF8).addKey(key));
    }

    private enum JsonCommand implements ProtocolKeyword {
        JSON_GET;

        @Override
        public byte[] getBytes() {
            return "JSON.GET".getBytes(StandardCharsets.US_ASCII);
        }
    }

    @ParameterizedTest(name = "Flink {0}")
    @MethodSource("flinkVersions")
    void updatingAndInsertOnlyQueriesLeaveExactlyTheirResult(FlinkSqlClient flink)
            throws Exception {
        deleteKeys("e2e:*");
        deleteKeys("latest:*");
        Path dir = SqlClientE2ECase.workDir(flink, "changelog");
        String sql = SqlClientE2ECase.resource("/scenarios/changelog.sql");
        boolean onConflict = atLeast(flink.version(), 2, 3);
        if (onConflict) {
            sql += "\n" + flink23Examples(Path.of(System.getProperty("e2e.docs.dir"), "sink.md"));
        }
        Path script = dir.resolve("changelog.sql");
        Files.writeString(
                script,
                sql.replace("{{REDIS_URL}}", redis.url())
                        .replace("redis://localhost:6379", redis.url()));

        SqlClientE2ECase.runClean(flink, script, dir, "changelog", onConflict ? 4 : 3);
        // INSERT ... VALUES: the last row of id 1 wins
        assertThat(hashes("e2e:user:*"))
                .isEqualTo(
                        Map.of(
                                "e2e:user:1", Map.of("name", "ann", "age", "32"),
                                "e2e:user:2", Map.of("name", "bob", "age", "25"),
                                "e2e:user:3", Map.of("name", "cy", "age", "47")));
        // the cities counted once
        assertThat(hashes("e2e:single:*"))
                .isEqualTo(
                        Map.of(
                                "e2e:single:kyiv", Map.of("n", "1"),
                                "e2e:single:lima", Map.of("n", "1")));
        // the orders joined with their users by the sync and the async lookup; user 9 unknown
        assertThat(hashes("e2e:order:*"))
                .isEqualTo(
                        Map.of(
                                "e2e:order:101", joined("ann", "32"),
                                "e2e:order:102", joined("cy", "47"),
                                "e2e:order:104", joined("ann", "32")));
        if (onConflict) {
            // per name its latest id and its number of orders
            assertThat(hashes("latest:*"))
                    .isEqualTo(
                            Map.of(
                                    "latest:2", Map.of("name", "bob", "orders", "1"),
                                    "latest:3", Map.of("name", "ann", "orders", "2")));
        }
    }

    /**
     * The hash of an order that both lookups joined with a user of {@code name} and {@code age}.
     */
    private static Map<String, String> joined(String name, String age) {
        return Map.of("sync_name", name, "sync_age", age, "async_name", name, "async_age", age);
    }

    private static void deleteKeys(String pattern) {
        for (String key : redis().keys(pattern)) {
            redis().del(key);
        }
    }

    /** The hashes whose keys match {@code pattern}: key to fields. */
    private static Map<String, Map<String, String>> hashes(String pattern) {
        Map<String, Map<String, String>> hashes = new TreeMap<>();
        for (String key : redis().keys(pattern)) {
            hashes.put(key, redis().hgetall(key));
        }
        return hashes;
    }

    /** The statements of the {@value #FLINK_2_3_SQL} blocks of a Markdown file. */
    private static String flink23Examples(Path markdown) throws IOException {
        StringBuilder sql = new StringBuilder();
        boolean in = false;
        for (String line : Files.readAllLines(markdown, StandardCharsets.UTF_8)) {
            if (line.startsWith("```")) {
                in = line.equals(FLINK_2_3_SQL);
                continue;
            }
            if (in) {
                sql.append(line).append('\n');
            }
        }
        assertThat(sql).as("%s blocks in %s", FLINK_2_3_SQL, markdown).isNotEmpty();
        return sql.toString();
    }

    /** Whether {@code version} ("2.3.0", ...) is at least {@code major.minor}. */
    private static boolean atLeast(String version, int major, int minor) {
        String[] parts = version.split("[.-]");
        int ma = Integer.parseInt(parts[0]);
        int mi = Integer.parseInt(parts[1]);
        return ma > major || (ma == major && mi >= minor);
    }
}
