package io.github.flinkredis.connector.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.flinkredis.connector.RedisStackITCaseBase;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.NestedMultiOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.ProtocolKeyword;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.Table;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.types.RowKind;
import org.apache.flink.util.ExceptionUtils;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code INSERT INTO} RedisTimeSeries tables: {@code TS.ADD key t v ON_DUPLICATE policy LABELS ...}
 * per row, {@code TS.DEL} for deletes; checked with {@code TS.RANGE} and {@code TS.INFO}. Needs a
 * server with RedisTimeSeries ({@code REDIS_STACK_URL}, or module files in {@code REDIS_MODULES});
 * the cluster runs need {@code REDIS_MODULES}.
 */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"standalone", "cluster"})
class RedisTimeSeriesSinkITCase extends RedisStackITCaseBase {

    @Parameter String deployment;

    @Override
    protected String deployment() {
        return deployment;
    }

    @BeforeEach
    void needsTimeSeries() {
        assumeCommand("TS.ADD", "RedisTimeSeries");
    }

    private void createTemps(String... extra) {
        String[] options =
                concat(
                        new String[] {
                            "data-type",
                            "timeseries",
                            "key.prefix",
                            "temp:",
                            "label.columns",
                            "sensor;area"
                        },
                        extra);
        tEnv.executeSql(
                "CREATE TABLE temps (sensor STRING, ts TIMESTAMP_LTZ(3), val DOUBLE, area STRING,"
                        + " PRIMARY KEY (sensor, ts) NOT ENFORCED) WITH ("
                        + with(options)
                        + ")");
    }

    private static final String ROWS =
            "INSERT INTO temps SELECT sensor, TO_TIMESTAMP_LTZ(t, 3), val, area FROM (VALUES"
                    + " ('s1', 1000, 20.5, 'eu'), ('s1', 2000, 21.0, 'eu'), ('s2', 1000, -4.0,"
                    + " 'us'), ('s1', 3000, 21.5, 'eu')) AS v(sensor, t, val, area)";

    @Test
    void samplesAreAddedWithTheLabelsOfTheSeries() throws Exception {
        createTemps();

        tEnv.executeSql(ROWS).await();

        assertThat(range("temp:s1")).containsExactly("1000=20.5", "2000=21.0", "3000=21.5");
        assertThat(range("temp:s2")).containsExactly("1000=-4.0");
        assertThat(labels("temp:s1")).isEqualTo(Map.of("sensor", "s1", "area", "eu"));
        assertThat(labels("temp:s2")).isEqualTo(Map.of("sensor", "s2", "area", "us"));
        assertThat(client.calls("ts.add")).isEqualTo(4);
        // and a scan of the same table reads them back, labels included
        assertThat(query("SELECT sensor, ts, val, area FROM temps"))
                .containsExactlyInAnyOrder(
                        Row.of("s1", java.time.Instant.ofEpochMilli(1000), 20.5, "eu"),
                        Row.of("s1", java.time.Instant.ofEpochMilli(2000), 21.0, "eu"),
                        Row.of("s1", java.time.Instant.ofEpochMilli(3000), 21.5, "eu"),
                        Row.of("s2", java.time.Instant.ofEpochMilli(1000), -4.0, "us"));
    }

    @Test
    void replaysAreIdempotentWithTheDefaultPolicyAndAddUpWithSum() throws Exception {
        createTemps();
        tEnv.executeSql(
                "CREATE TABLE counts (sensor STRING, ts BIGINT, val INT, PRIMARY KEY (sensor,"
                        + " ts) NOT ENFORCED) WITH ("
                        + with(
                                "data-type",
                                "timeseries",
                                "key.prefix",
                                "count:",
                                "sink.timeseries.duplicate-policy",
                                "sum")
                        + ")");
        String counts = "INSERT INTO counts VALUES ('a', 5000, 2), ('a', 6000, 3)";

        tEnv.executeSql(ROWS).await();
        tEnv.executeSql(ROWS).await();
        tEnv.executeSql(counts).await();
        tEnv.executeSql(counts).await();

        assertThat(range("temp:s1")).containsExactly("1000=20.5", "2000=21.0", "3000=21.5");
        assertThat(range("count:a")).containsExactly("5000=4.0", "6000=6.0");
    }

    @Test
    void anUpsertChangelogUpdatesAndDeletesSamples() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        StreamTableEnvironment streaming =
                StreamTableEnvironment.create(env, EnvironmentSettings.inStreamingMode());
        streaming.executeSql(
                "CREATE TABLE readings (sensor STRING, ts BIGINT, val DOUBLE, PRIMARY KEY (sensor,"
                        + " ts) NOT ENFORCED) WITH ("
                        + with("data-type", "timeseries", "key.prefix", "r:")
                        + ")");
        Table changelog =
                streaming.fromChangelogStream(
                        env.fromData(
                                Row.ofKind(RowKind.INSERT, "x", 1L, 1.0),
                                Row.ofKind(RowKind.INSERT, "x", 2L, 2.0),
                                Row.ofKind(RowKind.UPDATE_BEFORE, "x", 1L, 1.0),
                                Row.ofKind(RowKind.UPDATE_AFTER, "x", 1L, 10.0),
                                Row.ofKind(RowKind.DELETE, "x", 2L, 2.0),
                                Row.ofKind(RowKind.INSERT, "x", 3L, 3.0)));

        changelog.executeInsert("readings").await();

        assertThat(range("r:x")).containsExactly("1=10.0", "3=3.0");
        assertThat(client.calls("ts.del")).isPositive();
    }

    @Test
    void anAggregateWithHavingLeavesExactlyItsResultWithEveryDuplicatePolicy() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        StreamTableEnvironment streaming =
                StreamTableEnvironment.create(env, EnvironmentSettings.inStreamingMode());
        // sample t of series s gets 1 + t mod 6 rows, round by round: its count goes 1 -> 2
        // (an update: UPDATE_BEFORE and UPDATE_AFTER), 2 -> 3 (the HAVING drops it: a lone
        // UPDATE_BEFORE, TS.DEL), 3 -> 4 (back: a lone UPDATE_AFTER), 4 -> 5 -> 6 (updates)
        Map<String, Map<Long, Double>> expected = new java.util.TreeMap<>();
        Map<String, long[]> groups = new LinkedHashMap<>();
        List<String> rows = new ArrayList<>();
        for (int round = 0; round < 6; round++) {
            for (String sensor : List.of("x", "y")) {
                for (long t = 1; t <= 12; t++) {
                    if (round < 1 + t % 6) {
                        long val = round + (sensor.equals("x") ? 10 : 20) * t;
                        rows.add("('" + sensor + "', " + t + ", " + val + ")");
                        long[] g = groups.computeIfAbsent(sensor + t, k -> new long[2]);
                        g[0]++;
                        g[1] += val;
                        if (g[0] == 3) {
                            expected.get(sensor).remove(t);
                        } else {
                            expected.computeIfAbsent(sensor, k -> new java.util.TreeMap<>())
                                    .put(t, (double) g[1]);
                        }
                    }
                }
            }
        }
        for (String policy : List.of("last", "sum", "block")) {
            streaming.executeSql(
                    "CREATE TABLE sums_"
                            + policy
                            + " (sensor STRING, ts BIGINT, total DOUBLE, PRIMARY KEY (sensor, ts)"
                            + " NOT ENFORCED) WITH ("
                            + with(
                                    "data-type",
                                    "timeseries",
                                    "key.prefix",
                                    policy + ":",
                                    "value.column",
                                    "total",
                                    "sink.timeseries.duplicate-policy",
                                    policy,
                                    "sink.buffer-flush.max-rows",
                                    "3")
                            + ")");
        }
        String having =
                "SELECT sensor, ts, CAST(SUM(val) AS DOUBLE) FROM (VALUES "
                        + String.join(", ", rows)
                        + ") AS t(sensor, ts, val) GROUP BY sensor, ts HAVING COUNT(*) <> 3";

        streaming
                .createStatementSet()
                .addInsertSql("INSERT INTO sums_last " + having)
                .addInsertSql("INSERT INTO sums_sum " + having)
                .addInsertSql("INSERT INTO sums_block " + having)
                .execute()
                .await();

        // with sum or block, an update is TS.DEL and TS.ADD: the old value does not count
        for (String policy : List.of("last", "sum", "block")) {
            for (String sensor : List.of("x", "y")) {
                assertThat(range(policy + ":" + sensor))
                        .as(policy)
                        .containsExactlyElementsOf(
                                expected.get(sensor).entrySet().stream()
                                        .map(e -> e.getKey() + "=" + e.getValue())
                                        .collect(java.util.stream.Collectors.toList()));
            }
        }
        assertThat(expected.get("x")).doesNotContainKeys(2L, 8L).containsKeys(1L, 3L, 4L, 5L);
    }

    @Test
    void badRowsAndTablesFailNamingTheColumnKeyOrOption() {
        createTemps();
        client.set("temp:s9", "a string");

        Throwable nullValue =
                catchThrowable(
                        () ->
                                tEnv.executeSql(
                                                "INSERT INTO temps SELECT 's1',"
                                                        + " TO_TIMESTAMP_LTZ(1000, 3), NULLIF(1.0,"
                                                        + " 1.0), 'eu'")
                                        .await());
        Throwable wrongType =
                catchThrowable(
                        () ->
                                tEnv.executeSql(
                                                "INSERT INTO temps SELECT 's9',"
                                                        + " TO_TIMESTAMP_LTZ(1000, 3), 1.0, 'eu'")
                                        .await());
        Throwable stringValue =
                catchThrowable(
                        () ->
                                tEnv.executeSql(
                                        "CREATE TABLE bad (k STRING, ts BIGINT, val STRING,"
                                                + " PRIMARY KEY (k, ts) NOT ENFORCED) WITH ("
                                                + with("data-type", "timeseries")
                                                + ")"));
        tEnv.executeSql(
                "CREATE TABLE nots (k STRING, ts BIGINT, val DOUBLE, PRIMARY KEY (k) NOT ENFORCED)"
                        + " WITH ("
                        + with("data-type", "timeseries")
                        + ")");
        Throwable pkWithoutTimestamp =
                catchThrowable(() -> tEnv.executeSql("INSERT INTO nots VALUES ('a', 1, 1.0)"));
        Throwable badStringValue =
                catchThrowable(
                        () -> tEnv.executeSql("INSERT INTO bad VALUES ('a', 1, 'x')").await());

        assertThat(ExceptionUtils.stringifyException(nullValue))
                .contains("Column 'val' (the value) is NULL in a row for key 'temp:s1'");
        assertThat(ExceptionUtils.stringifyException(wrongType))
                .contains("TS.ADD of key 'temp:s9' failed");
        assertThat(stringValue).isNull(); // checked when the table is used
        assertThat(ExceptionUtils.stringifyException(badStringValue))
                .contains("Column 'val' holds the value of a 'timeseries' table's rows");
        assertThat(ExceptionUtils.stringifyException(pkWithoutTimestamp))
                .contains("must include column 'ts'");
        assertThat(client.sync().exists("temp:s1")).isZero();
    }

    /** The samples of a series as {@code timestamp=value}: TS.RANGE key - +. */
    private List<String> range(String key) {
        List<Object> reply =
                client.sync()
                        .dispatch(
                                Ts.RANGE,
                                new NestedMultiOutput<>(StringCodec.UTF8),
                                new CommandArgs<>(StringCodec.UTF8).addKey(key).add("-").add("+"));
        List<String> samples = new ArrayList<>();
        for (Object sample : reply) {
            List<?> pair = (List<?>) sample;
            // RESP3 replies hold doubles, RESP2 replies strings
            samples.add(pair.get(0) + "=" + Double.parseDouble(String.valueOf(pair.get(1))));
        }
        return samples;
    }

    /** The labels of a series: TS.INFO key, its "labels" entry. */
    private Map<String, String> labels(String key) {
        List<Object> reply =
                client.sync()
                        .dispatch(
                                Ts.INFO,
                                new NestedMultiOutput<>(StringCodec.UTF8),
                                new CommandArgs<>(StringCodec.UTF8).addKey(key));
        for (int i = 0; i < reply.size(); i += 2) {
            if ("labels".equals(reply.get(i))) {
                // RESP2: a list of [label, value] pairs; RESP3: a map, which the output flattens
                Map<String, String> labels = new LinkedHashMap<>();
                List<?> entries = (List<?>) reply.get(i + 1);
                for (int j = 0; j < entries.size(); j++) {
                    if (entries.get(j) instanceof List) {
                        List<?> pair = (List<?>) entries.get(j);
                        labels.put((String) pair.get(0), (String) pair.get(1));
                    } else {
                        labels.put((String) entries.get(j), (String) entries.get(++j));
                    }
                }
                return labels;
            }
        }
        throw new AssertionError("TS.INFO " + key + " has no labels: " + reply);
    }

    private enum Ts implements ProtocolKeyword {
        RANGE,
        INFO;

        @Override
        public byte[] getBytes() {
            return ("TS." + name()).getBytes(StandardCharsets.US_ASCII);
        }
    }
}
