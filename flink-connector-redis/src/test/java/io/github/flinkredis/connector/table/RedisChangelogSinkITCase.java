package io.github.flinkredis.connector.table;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flinkredis.connector.RedisITCaseBase;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.ExplainDetail;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.types.RowKind;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Streaming queries whose changelog holds UPDATE_BEFORE rows (a filter on an aggregate's value, a
 * HAVING clause) written to redis tables of every keyed data type: Redis ends with exactly the
 * query's final result, computed here without Flink.
 */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"standalone", "cluster"})
class RedisChangelogSinkITCase extends RedisITCaseBase {

    @Parameter String deployment;

    @Override
    protected String deployment() {
        return deployment;
    }

    private StreamExecutionEnvironment env;
    private StreamTableEnvironment streaming;

    @BeforeEach
    void streamingMode() {
        env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        streaming = StreamTableEnvironment.create(env, EnvironmentSettings.inStreamingMode());
    }

    /**
     * Asserts that the planner sends UPDATE_BEFORE rows to the sink of {@code insert}: the input of
     * the sink in the optimized plan has changelog mode {@code UB}.
     */
    private void assertSinkGetsUpdateBefore(String insert) {
        String plan = streaming.explainSql(insert, ExplainDetail.CHANGELOG_MODE);
        String optimized = plan.substring(plan.indexOf("== Optimized Physical Plan =="));
        String[] lines = optimized.split("\n");
        for (int i = 0; i < lines.length - 1; i++) {
            if (lines[i].startsWith("Sink(")) {
                // (a SinkUpsertMaterializer would turn them into other rows)
                assertThat(lines[i]).as(plan).doesNotContain("upsertMaterialize=[true]");
                assertThat(lines[i + 1]).as(plan).contains("UB");
                return;
            }
        }
        throw new AssertionError("no sink in " + plan);
    }

    /** The keys matching {@code pattern}, sorted. */
    private TreeSet<String> keys(String pattern) {
        return new TreeSet<>(client.sync().keys(pattern));
    }

    @Test
    void theFilteredCountOfTheIssueLeavesExactlyItsResult() throws Exception {
        List<String> cities = List.of("oslo", "lima", "oslo", "pune", "pune", "kyiv");
        Map<String, Long> counts = new HashMap<>();
        cities.forEach(c -> counts.merge(c, 1L, Long::sum));
        Map<String, Map<String, String>> expected = new TreeMap<>();
        counts.forEach(
                (city, n) -> {
                    if (n < 2) {
                        expected.put("single:" + city, Map.of("n", Long.toString(n)));
                    }
                });
        streaming.executeSql(
                "CREATE TABLE singles (city STRING, n BIGINT, PRIMARY KEY (city) NOT ENFORCED)"
                        + " WITH ("
                        + with("data-type", "hash", "key.prefix", "single:")
                        + ")");

        String insert =
                "INSERT INTO singles SELECT city, n FROM (SELECT city, COUNT(*) AS n FROM"
                        + " (VALUES ('oslo'), ('lima'), ('oslo'), ('pune'), ('pune'),"
                        + " ('kyiv')) AS t(city) GROUP BY city) WHERE n < 2";
        assertSinkGetsUpdateBefore(insert);

        streaming.executeSql(insert).await();

        assertThat(expected.keySet()).containsExactly("single:kyiv", "single:lima");
        assertThat(hashes("single:*")).isEqualTo(expected);
    }

    /** The hashes matching {@code pattern}: key to fields. */
    private Map<String, Map<String, String>> hashes(String pattern) {
        Map<String, Map<String, String>> hashes = new TreeMap<>();
        for (String key : keys(pattern)) {
            hashes.put(key, client.sync().hgetall(key));
        }
        return hashes;
    }

    private static final int GROUPS = 23;

    /** Group k gets 1 + (k mod 6) rows: the final counts are 1 to 6. */
    private static int groupSize(int k) {
        return 1 + k % 6;
    }

    /**
     * The rows (k, v) of the aggregation, round by round (one row of each group that has one left
     * per round), so that the updates of the groups interleave; v = 100 k + round.
     */
    private static List<long[]> groupedRows() {
        List<long[]> rows = new ArrayList<>();
        for (int round = 0; round < 6; round++) {
            for (int k = 0; k < GROUPS; k++) {
                if (round < groupSize(k)) {
                    rows.add(new long[] {k, 100L * k + round});
                }
            }
        }
        return rows;
    }

    /**
     * Per group of the aggregation {@code GROUP BY k HAVING COUNT(*) <> 3}: the count and the sum
     * of v, for the groups the HAVING keeps. Counts 1 -> 2, 4 -> 5 and 5 -> 6 are updates of a row
     * that stays (UPDATE_BEFORE and UPDATE_AFTER), 2 -> 3 removes the row (a lone UPDATE_BEFORE), 3
     * -> 4 brings it back (a lone UPDATE_AFTER).
     */
    private static Map<Integer, long[]> havingResult() {
        Map<Integer, long[]> groups = new TreeMap<>();
        for (long[] row : groupedRows()) {
            long[] g = groups.computeIfAbsent((int) row[0], k -> new long[2]);
            g[0]++;
            g[1] += row[1];
        }
        groups.values().removeIf(g -> g[0] == 3);
        return groups;
    }

    /** (k, player, grp, v) of {@link #groupedRows}: player 'g' || k and grp k mod 2. */
    private static final String GROUPED_ROWS =
            "(SELECT k, 'g' || CAST(k AS STRING) AS player, CAST(MOD(k, 2) AS STRING) AS grp,"
                    + " CAST(v AS BIGINT) AS v FROM "
                    + groupedRows().stream()
                            .map(r -> "(" + r[0] + ", " + r[1] + ")")
                            .collect(Collectors.joining(", ", "(VALUES ", ") AS t(k, v))"));

    /** The aggregation grouped by {@code columns}, with the HAVING of {@link #havingResult}. */
    private static String having(String columns) {
        return "SELECT "
                + columns
                + ", COUNT(*) AS cnt, SUM(v) AS total FROM "
                + GROUPED_ROWS
                + " GROUP BY "
                + columns
                + " HAVING COUNT(*) <> 3";
    }

    @Test
    void anAggregateWithHavingLeavesExactlyItsResultInHashesAndStrings() throws Exception {
        Map<Integer, long[]> result = havingResult();
        assertThat(result).hasSize(GROUPS - 4).doesNotContainKeys(2, 8, 14, 20);
        streaming.executeSql(
                "CREATE TABLE stats (k INT, cnt BIGINT, total BIGINT, PRIMARY KEY (k) NOT"
                        + " ENFORCED) WITH ("
                        + with("key.prefix", "stat:", "sink.buffer-flush.max-rows", "4")
                        + ")");
        streaming.executeSql(
                "CREATE TABLE totals (k INT, total BIGINT, PRIMARY KEY (k) NOT ENFORCED) WITH ("
                        + with(
                                "data-type",
                                "string",
                                "key.prefix",
                                "total:",
                                "sink.buffer-flush.max-rows",
                                "5")
                        + ")");

        assertSinkGetsUpdateBefore("INSERT INTO stats " + having("k"));
        streaming
                .createStatementSet()
                .addInsertSql("INSERT INTO stats " + having("k"))
                .addInsertSql("INSERT INTO totals SELECT k, total FROM (" + having("k") + ")")
                .execute()
                .await();

        Map<String, Map<String, String>> expectedHashes = new TreeMap<>();
        Map<String, String> expectedStrings = new TreeMap<>();
        result.forEach(
                (k, g) -> {
                    expectedHashes.put(
                            "stat:" + k,
                            Map.of("cnt", Long.toString(g[0]), "total", Long.toString(g[1])));
                    expectedStrings.put("total:" + k, Long.toString(g[1]));
                });
        assertThat(hashes("stat:*")).isEqualTo(expectedHashes);
        Map<String, String> strings = new TreeMap<>();
        keys("total:*").forEach(k -> strings.put(k, client.sync().get(k)));
        assertThat(strings).isEqualTo(expectedStrings);
    }

    @Test
    void anAggregateWithHavingLeavesExactlyItsResultInSetsAndSortedSets() throws Exception {
        Map<Integer, long[]> result = havingResult();
        streaming.executeSql(
                "CREATE TABLE members (grp STRING, `member` STRING, PRIMARY KEY (grp, `member`) NOT"
                        + " ENFORCED) WITH ("
                        + with(
                                "data-type",
                                "set",
                                "key.prefix",
                                "grp:",
                                "sink.buffer-flush.max-rows",
                                "3")
                        + ")");
        streaming.executeSql(
                "CREATE TABLE board (player STRING, points DOUBLE, PRIMARY KEY (player) NOT"
                        + " ENFORCED) WITH ("
                        + with(
                                "data-type",
                                "zset",
                                "key.pattern",
                                "board",
                                "member.column",
                                "player",
                                "score.column",
                                "points",
                                "sink.buffer-flush.max-rows",
                                "3")
                        + ")");

        // the member is the aggregation's key: set grp:<k mod 2> holds the groups the HAVING
        // keeps, the sorted set 'board' their totals
        assertSinkGetsUpdateBefore(
                "INSERT INTO members SELECT grp, player FROM (" + having("grp, player") + ")");
        assertSinkGetsUpdateBefore(
                "INSERT INTO board SELECT player, CAST(total AS DOUBLE) FROM ("
                        + having("player")
                        + ")");
        streaming
                .createStatementSet()
                .addInsertSql(
                        "INSERT INTO members SELECT grp, player FROM ("
                                + having("grp, player")
                                + ")")
                .addInsertSql(
                        "INSERT INTO board SELECT player, CAST(total AS DOUBLE) FROM ("
                                + having("player")
                                + ")")
                .execute()
                .await();

        Map<String, TreeSet<String>> expectedSets = new TreeMap<>();
        Map<String, Double> expectedBoard = new TreeMap<>();
        result.forEach(
                (k, g) -> {
                    expectedSets.computeIfAbsent("grp:" + k % 2, s -> new TreeSet<>()).add("g" + k);
                    expectedBoard.put("g" + k, (double) g[1]);
                });
        Map<String, TreeSet<String>> sets = new TreeMap<>();
        for (String key : keys("grp:*")) {
            sets.put(key, new TreeSet<>(client.sync().smembers(key)));
        }
        assertThat(sets).isEqualTo(expectedSets);
        Map<String, Double> board = new TreeMap<>();
        client.sync()
                .zrangeWithScores("board", 0, -1)
                .forEach(v -> board.put(v.getValue(), v.getScore()));
        assertThat(board).isEqualTo(expectedBoard);
    }

    @Test
    void theRowsOfOneKeyReachOneWriterInInputOrderForInsertOnlyAndUpdatingQueries()
            throws Exception {
        // three writers, one source subtask: Flink routes the rows by PRIMARY KEY (for an
        // insert-only input as for a changelog), else the last write of a key would be any row's
        String options =
                with(
                        "key.prefix",
                        "last:",
                        "sink.parallelism",
                        "3",
                        "sink.buffer-flush.max-rows",
                        "5");
        String insertOnly = "INSERT INTO last SELECT MOD(n, 4), n FROM " + numbers(400);
        // the same rows through an aggregation: in streaming mode each row updates its key's MAX
        String updating =
                "INSERT INTO last SELECT k, MAX(n) FROM (SELECT MOD(n, 4) AS k, n FROM "
                        + numbers(400)
                        + ") GROUP BY k";
        for (StreamTableEnvironment env : List.of(tEnv, streaming)) {
            for (String insert : List.of(insertOnly, updating)) {
                client.flushAll();
                env.executeSql("DROP TABLE IF EXISTS last");
                env.executeSql(
                        "CREATE TABLE last (k INT, n INT, PRIMARY KEY (k) NOT ENFORCED) WITH ("
                                + options
                                + ")");

                env.executeSql(insert).await();

                assertThat(hashes("last:*"))
                        .as(insert)
                        .isEqualTo(
                                Map.of(
                                        "last:0", Map.of("n", "400"),
                                        "last:1", Map.of("n", "397"),
                                        "last:2", Map.of("n", "398"),
                                        "last:3", Map.of("n", "399")));
            }
        }
    }

    /**
     * Count per city, kept while below 3: a is counted twice (an update that stays: UPDATE_BEFORE
     * and UPDATE_AFTER), b three times (then its row goes: a lone UPDATE_BEFORE), c once.
     */
    private static final String BELOW_THREE =
            "SELECT city, n FROM (SELECT city, COUNT(*) AS n FROM (VALUES ('a'), ('b'), ('a'),"
                    + " ('b'), ('c'), ('b')) AS t(city) GROUP BY city) WHERE n < 3";

    @Test
    void inMergeModeAnUpdateKeepsFieldsOutsideTheTableAndTheTtlAsAnUpsertDoes() throws Exception {
        for (String prefix : List.of("ttl:", "kept:", "col:")) {
            client.hset(prefix + "a", Map.of("note", "outside"));
            client.hset(prefix + "b", Map.of("note", "outside"));
        }
        // a TTL set outside the table: a write without a TTL leaves it
        client.pexpire("kept:a", 600_000);
        streaming.executeSql(
                "CREATE TABLE with_ttl (city STRING, n BIGINT, PRIMARY KEY (city) NOT ENFORCED)"
                        + " WITH ("
                        + with("key.prefix", "ttl:", "sink.ttl", "1 h")
                        + ")");
        streaming.executeSql(
                "CREATE TABLE no_ttl (city STRING, n BIGINT, PRIMARY KEY (city) NOT ENFORCED)"
                        + " WITH ("
                        + with("key.prefix", "kept:")
                        + ")");
        streaming.executeSql(
                "CREATE TABLE ttl_column (city STRING, n BIGINT, ttl_ms BIGINT METADATA FROM"
                        + " 'ttl', PRIMARY KEY (city) NOT ENFORCED) WITH ("
                        + with("key.prefix", "col:")
                        + ")");

        assertSinkGetsUpdateBefore("INSERT INTO with_ttl " + BELOW_THREE);
        streaming
                .createStatementSet()
                .addInsertSql("INSERT INTO with_ttl " + BELOW_THREE)
                .addInsertSql("INSERT INTO no_ttl " + BELOW_THREE)
                // each row's TTL is n hours: the update of a leaves 2 h
                .addInsertSql(
                        "INSERT INTO ttl_column SELECT city, n, n * 3600000 FROM ("
                                + BELOW_THREE
                                + ")")
                .execute()
                .await();

        for (String prefix : List.of("ttl:", "kept:", "col:")) {
            assertThat(hashes(prefix + "*"))
                    .as(prefix)
                    .isEqualTo(
                            Map.of(
                                    prefix + "a",
                                    Map.of("n", "2", "note", "outside"),
                                    prefix + "c",
                                    Map.of("n", "1")));
        }
        assertThat(client.sync().pttl("ttl:a")).isBetween(3_500_000L, 3_600_000L);
        assertThat(client.sync().pttl("kept:a")).isBetween(1L, 600_000L);
        assertThat(client.sync().pttl("kept:c")).isEqualTo(-1L);
        assertThat(client.sync().pttl("col:a")).isBetween(7_100_000L, 7_200_000L);
        assertThat(client.sync().pttl("col:c")).isBetween(3_500_000L, 3_600_000L);
    }

    /** Writes {@code rows} (a changelog) to the hash table users (id, name), user:<id>. */
    private void writeChangelog(DataStream<Row> rows, String... options) throws Exception {
        streaming.executeSql(
                "CREATE TABLE users (id BIGINT, name STRING, PRIMARY KEY (id) NOT ENFORCED) WITH ("
                        + with(concat(new String[] {"key.prefix", "user:"}, options))
                        + ")");
        streaming.createTemporaryView("changes", streaming.fromChangelogStream(rows));
        // the stream's rows as they are: the planner knows no upsert key of a DataStream, and
        // would otherwise put a SinkUpsertMaterializer before the sink
        streaming.getConfig().set("table.exec.sink.upsert-materialize", "NONE");
        String insert = "INSERT INTO users SELECT * FROM changes";
        assertSinkGetsUpdateBefore(insert);
        streaming.executeSql(insert).await();
    }

    @Test
    void anUpdateBeforeThatEndsAFullBatchWaitsForItsUpdateAfter() throws Exception {
        client.hset("user:1", Map.of("note", "outside"));
        client.hset("user:2", Map.of("note", "outside"));

        // batches of two rows, no timer: the update of 1 is split by a full batch
        writeChangelog(
                env.fromData(
                        Row.ofKind(RowKind.INSERT, 1L, "ann"),
                        Row.ofKind(RowKind.UPDATE_BEFORE, 1L, "ann"),
                        Row.ofKind(RowKind.UPDATE_AFTER, 1L, "anna"),
                        Row.ofKind(RowKind.INSERT, 2L, "bob"),
                        Row.ofKind(RowKind.UPDATE_BEFORE, 2L, "bob")),
                "sink.buffer-flush.max-rows",
                "2",
                "sink.buffer-flush.interval",
                "0 ms");

        // the update of 1 is one HSET (merge: the field outside the table stays); 2 is deleted
        assertThat(hashes("user:*"))
                .isEqualTo(Map.of("user:1", Map.of("name", "anna", "note", "outside")));
    }

    /** Run in the map before the row it holds back; set by the test. */
    private static volatile BooleanSupplier gate;

    /** Holds back the UPDATE_AFTER of 1 until {@link #gate} opens (at most a minute). */
    private static final class HoldUpdateAfter implements MapFunction<Row, Row> {
        @Override
        public Row map(Row row) throws Exception {
            if (row.getKind() == RowKind.UPDATE_AFTER && Long.valueOf(1L).equals(row.getField(0))) {
                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
                while (!gate.getAsBoolean()) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("the gate did not open within a minute");
                    }
                    Thread.sleep(10);
                }
            }
            return row;
        }
    }

    @Test
    void anUpdateBeforeThatTheTimerWouldSendWaitsForItsUpdateAfter() throws Exception {
        client.hset("user:1", Map.of("note", "outside"));
        client.hset("user:2", Map.of("note", "outside"));
        // user:3 is written by the timer's flush of the batch that ends with the UPDATE_BEFORE of
        // 1 and the INSERT of 3 (nothing else flushes before the end: 100 rows per batch); the
        // UPDATE_AFTER of 1 follows within the timer's next second (a flush interval of 20 ms
        // made that race the gate's polling and the hop between tasks, and lose on a busy machine)
        gate = () -> client.sync().exists("user:3") == 1;
        DataStream<Row> rows =
                env.fromData(
                        Row.ofKind(RowKind.INSERT, 1L, "ann"),
                        Row.ofKind(RowKind.UPDATE_BEFORE, 1L, "ann"),
                        Row.ofKind(RowKind.INSERT, 3L, "cy"),
                        Row.ofKind(RowKind.UPDATE_AFTER, 1L, "anna"),
                        Row.ofKind(RowKind.INSERT, 2L, "bob"),
                        Row.ofKind(RowKind.UPDATE_BEFORE, 2L, "bob"));

        // the map is a task of its own: the sink's timer runs while it waits
        writeChangelog(
                rows.map(new HoldUpdateAfter()).returns(rows.getType()).disableChaining(),
                "sink.buffer-flush.max-rows",
                "100",
                "sink.buffer-flush.interval",
                "1 s");

        assertThat(hashes("user:*"))
                .isEqualTo(
                        Map.of(
                                "user:1",
                                Map.of("name", "anna", "note", "outside"),
                                "user:3",
                                Map.of("name", "cy")));
    }
}
