package io.github.flinkredis.connector.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.flinkredis.connector.RedisTestClient;
import io.github.flinkredis.connector.config.RedisConnectionConfig;
import io.github.flinkredis.connector.config.RedisDataType;
import io.github.flinkredis.connector.config.RedisWriteOptions;
import io.github.flinkredis.testutils.RedisCluster;
import io.github.flinkredis.testutils.RedisExtension;
import io.github.flinkredis.testutils.RedisFaultProxy;
import io.github.flinkredis.testutils.RedisServer;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
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
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.ExceptionUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code sink.error-policy}: rows whose write Redis refuses for their own key (WRONGTYPE) among
 * 10,000 rows fail the job, are skipped or are dead-lettered, and every other row is written; the
 * counters and the dead-letter entries are checked exactly, against a standalone server and a
 * cluster.
 */
@ExtendWith(RedisExtension.class)
class RedisSinkErrorPolicyITCase {

    /** Keeps the jobs' metrics after they end. */
    private static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setConfiguration(METRICS.addToConfiguration(new Configuration()))
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private static final int ROWS = 10_000;

    /** The ids whose keys hold another type than a hash, in input order. */
    private static final List<Integer> WRONG = List.of(17, 4242, 9999);

    private static final String WRONGTYPE =
            "WRONGTYPE Operation against a key holding the wrong kind of value";

    /** What the handler of the DataStream test received. */
    private static final List<String> HANDLED = Collections.synchronizedList(new ArrayList<>());

    private RedisTestClient client;
    private String url;
    private StreamTableEnvironment tEnv;

    private void connect(String deployment, RedisServer redis, RedisCluster cluster) {
        url = "cluster".equals(deployment) ? cluster.seedUrls() : redis.url();
        client =
                "cluster".equals(deployment)
                        ? RedisTestClient.cluster(url)
                        : RedisTestClient.standalone(url);
        client.flushAll();
        client.resetStats();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        tEnv = StreamTableEnvironment.create(env, EnvironmentSettings.inBatchMode());
    }

    @AfterEach
    void close() {
        if (client != null) {
            client.close();
        }
    }

    /** Keys user:17 (a string), user:4242 (a list) and user:9999 (a set): not hashes. */
    private void wrongTypes() {
        client.set("user:17", "a string");
        client.sync().rpush("user:4242", "a list");
        client.sync().sadd("user:9999", "a set");
    }

    /** Inserts users 1 to 10,000 ({@code name} = n<id>) into a hash table with the options. */
    private TableResult insertUsers(String... options) throws Exception {
        StringBuilder with = new StringBuilder("'connector' = 'redis', 'url' = '" + url + "'");
        with.append(", 'key.prefix' = 'user:', 'sink.buffer-flush.max-rows' = '300'");
        for (int i = 0; i < options.length; i += 2) {
            with.append(", '").append(options[i]).append("' = '").append(options[i + 1]);
            with.append("'");
        }
        tEnv.executeSql(
                "CREATE TABLE users (id BIGINT, name STRING, PRIMARY KEY (id) NOT ENFORCED) WITH ("
                        + with
                        + ")");
        tEnv.executeSql(
                "CREATE TABLE ids (id BIGINT) WITH ('connector' = 'datagen', 'fields.id.kind' ="
                        + " 'sequence', 'fields.id.start' = '1', 'number-of-rows' = '"
                        + ROWS
                        + "', 'fields.id.end' = '"
                        + ROWS
                        + "')");
        TableResult result =
                tEnv.executeSql(
                        "INSERT INTO users SELECT id, CONCAT('n', CAST(id AS STRING)) FROM ids");
        result.await();
        return result;
    }

    /** Every user but the wrong-typed ones is a hash {name: n<id>}; those keep their values. */
    private void assertWrittenAroundTheWrongTypes() {
        List<String> keys = new ArrayList<>();
        for (int id = 1; id <= ROWS; id++) {
            if (!WRONG.contains(id)) {
                keys.add("user:" + id);
            }
        }
        for (String key : keys) {
            assertThat(client.sync().hgetall(key))
                    .as(key)
                    .isEqualTo(Map.of("name", "n" + key.substring(5)));
        }
        assertThat(client.sync().get("user:17")).isEqualTo("a string");
        assertThat(client.sync().lrange("user:4242", 0, -1)).containsExactly("a list");
        assertThat(client.sync().smembers("user:9999")).containsExactly("a set");
    }

    @ParameterizedTest
    @ValueSource(strings = {"standalone", "cluster"})
    void failIsTheDefault(String deployment, RedisServer redis, RedisCluster cluster) {
        connect(deployment, redis, cluster);
        wrongTypes();

        Throwable failure = catchThrowable(this::insertUsers);

        assertThat(ExceptionUtils.stringifyException(failure))
                .contains("HSET of key 'user:17' failed on Redis at", WRONGTYPE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"standalone", "cluster"})
    void skipWritesEveryOtherRowAndCountsTheSkipped(
            String deployment, RedisServer redis, RedisCluster cluster) throws Exception {
        connect(deployment, redis, cluster);
        wrongTypes();

        TableResult result = insertUsers("sink.error-policy", "skip");

        assertWrittenAroundTheWrongTypes();
        JobID job = result.getJobClient().orElseThrow().getJobID();
        assertThat(counter(job, "numRecordsOutErrors")).isEqualTo(WRONG.size());
        assertThat(counter(job, "writeErrors.WRONGTYPE")).isEqualTo(WRONG.size());
        assertThat(counter(job, "numRecordsSend")).isEqualTo(ROWS - WRONG.size());
        assertThat(client.calls("xadd")).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"standalone", "cluster"})
    void deadLetterWritesEachRefusedRowToTheStreamInOrder(
            String deployment, RedisServer redis, RedisCluster cluster) throws Exception {
        connect(deployment, redis, cluster);
        wrongTypes();

        TableResult result =
                insertUsers("sink.error-policy", "dead-letter", "sink.dead-letter.stream", "dlq");

        assertWrittenAroundTheWrongTypes();
        JobID job = result.getJobClient().orElseThrow().getJobID();
        List<StreamMessage<String, String>> letters =
                client.sync().xrange("dlq", Range.create("-", "+"));
        assertThat(letters).hasSize(WRONG.size());
        for (int i = 0; i < WRONG.size(); i++) {
            Map<String, String> body = letters.get(i).getBody();
            int id = WRONG.get(i);
            assertThat(body)
                    .containsEntry("key", "user:" + id)
                    .containsEntry("command", "HSET")
                    .containsEntry("error", WRONGTYPE)
                    .containsEntry("kind", "UPSERT")
                    .containsEntry("row", "{\"fields\":{\"name\":\"n" + id + "\"}}")
                    .containsEntry("job", job.toHexString())
                    .containsEntry("subtask", "0");
            assertThat(body.get("task")).contains("Writer");
            assertThat(body).hasSize(8);
        }
        assertThat(counter(job, "numRecordsOutErrors")).isEqualTo(WRONG.size());
        assertThat(counter(job, "writeErrors.WRONGTYPE")).isEqualTo(WRONG.size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"standalone", "cluster"})
    void theDeadLetterStreamIsTrimmedToAboutItsMaxLength(
            String deployment, RedisServer redis, RedisCluster cluster) throws Exception {
        connect(deployment, redis, cluster);
        // every 10th user is a string: 1,000 refused rows
        for (int id = 10; id <= ROWS; id += 10) {
            client.set("user:" + id, "a string");
        }

        insertUsers(
                "sink.error-policy",
                "dead-letter",
                "sink.dead-letter.stream",
                "dlq",
                "sink.dead-letter.max-length",
                "100");

        // MAXLEN ~ 100 removes whole stream nodes (100 entries each by default)
        assertThat(client.sync().xlen("dlq")).isBetween(100L, 199L);
        List<StreamMessage<String, String>> last =
                client.sync()
                        .xrevrange("dlq", Range.create("-", "+"), io.lettuce.core.Limit.from(1));
        assertThat(last.get(0).getBody()).containsEntry("key", "user:" + ROWS);
        assertThat(client.sync().hget("user:9", "name")).isEqualTo("n9");
    }

    @Test
    void aConnectionDroppedBeforeTheDeadLetterLosesNothing(RedisServer redis) throws Exception {
        connect("standalone", redis, null);
        wrongTypes();
        // XADD dlq MAXLEN ~ n * and 8 fields with values: 22 arguments
        try (RedisFaultProxy proxy = RedisFaultProxy.dropOnPrefix(redis, 1, 22, "XADD", "dlq")) {
            url = proxy.url();
            insertUsers("sink.error-policy", "dead-letter", "sink.dead-letter.stream", "dlq");
            assertThat(proxy.drops()).isEqualTo(1);
        }

        assertWrittenAroundTheWrongTypes();
        // the batch of the dropped dead letter was sent again, with its dead letters: each
        // refused row is in the stream, in order, none lost (a row may be there twice)
        List<String> keys =
                client.sync().xrange("dlq", Range.create("-", "+")).stream()
                        .map(m -> m.getBody().get("key"))
                        .collect(Collectors.toList());
        assertThat(new LinkedHashSet<>(keys))
                .containsExactlyElementsOf(
                        WRONG.stream().map(id -> "user:" + id).collect(Collectors.toList()));
    }

    @Test
    void theDataStreamSinkHandsRefusedRowsToItsHandler(RedisServer redis) throws Exception {
        connect("standalone", redis, null);
        HANDLED.clear();
        client.sync().rpush("k:3", "a list");
        client.sync().rpush("k:7", "a list");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        byte[][] field = {"f".getBytes(StandardCharsets.UTF_8)};
        RedisSink<Long> sink =
                RedisSink.<Long>builder()
                        .setConnectionConfig(RedisConnectionConfig.fromUrl(url).build())
                        .setWriteOptions(
                                new RedisWriteOptions(
                                        RedisDataType.HASH, 4, Duration.ZERO, 2, 3, null))
                        .setSerializer(
                                i ->
                                        RedisMutation.hash(
                                                ("k:" + i).getBytes(StandardCharsets.UTF_8),
                                                field,
                                                new byte[][] {
                                                    ("v" + i).getBytes(StandardCharsets.UTF_8)
                                                }))
                        .setWriteErrorHandler(e -> HANDLED.add(e.toString()))
                        .build();
        env.fromData(IntStream.rangeClosed(1, 10).mapToObj(i -> (long) i).toArray(Long[]::new))
                .sinkTo(sink);
        env.execute();

        assertThat(HANDLED)
                .containsExactly(
                        "HSET of key 'k:3': " + WRONGTYPE, "HSET of key 'k:7': " + WRONGTYPE);
        for (int i = 1; i <= 10; i++) {
            if (i != 3 && i != 7) {
                assertThat(client.sync().hget("k:" + i, "f")).isEqualTo("v" + i);
            }
        }
        assertThat(client.sync().lrange("k:3", 0, -1)).containsExactly("a list");
    }

    @Test
    void aHandlerAndAnErrorPolicyTogetherAreRefused(RedisServer redis) {
        RedisSink.Builder<Long> builder =
                RedisSink.<Long>builder()
                        .setConnectionConfig(RedisConnectionConfig.fromUrl(redis.url()).build())
                        .setWriteOptions(
                                RedisWriteOptions.defaults(RedisDataType.STRING)
                                        .withDeadLetterStream("dlq", 10))
                        .setSerializer(i -> RedisMutation.string(new byte[] {1}, new byte[] {1}))
                        .setWriteErrorHandler(e -> {});

        assertThat(catchThrowable(builder::build))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "A write error handler replaces the error policy 'dead-letter' of the"
                                + " write options: set one of them");
    }

    /** The value of the sink writer's counter {@code name} (e.g. {@code writeErrors.WRONGTYPE}). */
    private static long counter(JobID job, String name) {
        String last = name.substring(name.lastIndexOf('.') + 1);
        Map<String, Metric> found = METRICS.findMetrics(job, last);
        List<Long> values = new ArrayList<>();
        found.forEach(
                (identifier, metric) -> {
                    if (identifier.endsWith("." + name) && metric instanceof Counter) {
                        values.add(((Counter) metric).getCount());
                    }
                });
        assertThat(values).as("counters %s in %s", name, found.keySet()).hasSize(1);
        return values.get(0);
    }
}
