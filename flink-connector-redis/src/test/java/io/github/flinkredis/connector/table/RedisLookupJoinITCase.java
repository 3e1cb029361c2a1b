package io.github.flinkredis.connector.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.flinkredis.connector.RedisITCaseBase;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.table.functions.ScalarFunction;
import org.apache.flink.types.Row;
import org.apache.flink.util.ExceptionUtils;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Lookup joins ({@code JOIN ... FOR SYSTEM_TIME AS OF}) against hash, string and sorted-set tables:
 * sync and async, inner and left, Flink's PARTIAL and FULL caches, and the errors of bad joins and
 * bad data. JSON lookups are in {@code RedisJsonLookupITCase}.
 */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"standalone", "cluster"})
class RedisLookupJoinITCase extends RedisITCaseBase {

    @Parameter String deployment;

    @Override
    protected String deployment() {
        return deployment;
    }

    private static final String[] USERS = {"data-type", "hash", "key.prefix", "user:"};

    @BeforeEach
    void loadUsers() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        tEnv = StreamTableEnvironment.create(env, EnvironmentSettings.inStreamingMode());
        for (int i = 1; i <= 3; i++) {
            client.hset("user:" + i, Map.of("name", "name" + i, "age", String.valueOf(20 + i)));
        }
        // a user without the selected fields is a match with NULLs, not a missing key
        client.hset("user:4", Map.of("other", "x"));
        client.resetStats();
    }

    /**
     * Orders (order id, user id; a negative id is NULL) with a processing-time attribute. Without
     * NULLs, VALUES of literals is one source that emits the rows in this order; a row with a NULL
     * makes the planner union one-row inputs, whose order Flink does not keep.
     */
    private void orders(int[][] rows) {
        String values =
                java.util.Arrays.stream(rows)
                        .map(r -> "(" + r[0] + ", " + (r[1] < 0 ? "CAST(NULL AS INT)" : r[1]) + ")")
                        .collect(Collectors.joining(", "));
        tEnv.executeSql(
                "CREATE TEMPORARY VIEW orders AS SELECT oid, uid, PROCTIME() AS pt FROM (VALUES "
                        + values
                        + ") AS t(oid, uid)");
    }

    private void users(String... options) {
        tEnv.executeSql(
                "CREATE TABLE users (id INT, name STRING, age INT, PRIMARY KEY (id) NOT ENFORCED)"
                        + " WITH ("
                        + with(concat(USERS, options))
                        + ")");
    }

    private static final String JOIN =
            "SELECT o.oid, o.uid, u.name, u.age FROM orders AS o %s JOIN users"
                    + " FOR SYSTEM_TIME AS OF o.pt AS u ON o.uid = u.id";

    @Test
    void lookupsAreAsynchronousByDefault() {
        orders(new int[][] {{10, 1}});
        users();

        assertThat(tEnv.explainSql(String.format(JOIN, ""))).contains("async=[ORDERED");
    }

    @Test
    void innerAndLeftJoinsOfHashesWithHmget() throws Exception {
        orders(new int[][] {{10, 1}, {11, 2}, {12, 9}, {13, 4}, {14, -1}, {15, 1}});
        users("lookup.async", "false");

        List<Row> inner = query(String.format(JOIN, ""));

        assertThat(inner)
                .containsExactlyInAnyOrder(
                        Row.of(10, 1, "name1", 21),
                        Row.of(11, 2, "name2", 22),
                        Row.of(13, 4, null, null),
                        Row.of(15, 1, "name1", 21));
        // one HMGET of name and age per order with a user id; EXISTS where they were all nil
        assertThat(client.calls("hmget")).isEqualTo(5);
        assertThat(client.calls("exists")).isEqualTo(2);
        assertThat(client.calls("hgetall")).isZero();

        List<Row> left = query(String.format(JOIN, "LEFT"));

        assertThat(left)
                .containsExactlyInAnyOrder(
                        Row.of(10, 1, "name1", 21),
                        Row.of(11, 2, "name2", 22),
                        Row.of(12, 9, null, null),
                        Row.of(13, 4, null, null),
                        Row.of(14, null, null, null),
                        Row.of(15, 1, "name1", 21));
    }

    @Test
    void batchJobsJoinToo() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        tEnv = StreamTableEnvironment.create(env, EnvironmentSettings.inBatchMode());
        orders(new int[][] {{10, 3}, {11, 9}});
        users("lookup.async", "true");

        assertThat(query(String.format(JOIN, "LEFT")))
                .containsExactlyInAnyOrder(Row.of(10, 3, "name3", 23), Row.of(11, 9, null, null));
        assertThat(client.calls("hmget")).isEqualTo(2);
    }

    @Test
    void onlyTheJoinedFieldsAreRead() throws Exception {
        orders(new int[][] {{10, 1}, {11, 3}});
        users();
        client.resetStats();

        List<Row> rows =
                query(
                        "SELECT o.oid, u.age FROM orders AS o JOIN users FOR SYSTEM_TIME AS OF"
                                + " o.pt AS u ON o.uid = u.id");

        assertThat(rows).containsExactlyInAnyOrder(Row.of(10, 21), Row.of(11, 23));
        assertThat(client.commandCalls()).containsEntry("hmget", 2L);
    }

    @Test
    void asyncLookupsGiveTheSameRowsInInputOrderOrUnordered() throws Exception {
        int n = 2_000;
        client.loadHashes(500, i -> "user:" + i, i -> Map.of("name", "n" + i, "age", "" + i));
        int[][] rows = new int[n][];
        for (int i = 0; i < n; i++) {
            rows[i] = new int[] {i, (i * 7) % 600}; // ids 500..599 miss
        }
        orders(rows);
        users("lookup.async", "true");
        List<Row> expected = new ArrayList<>();
        for (int[] r : rows) {
            if (r[1] < 500) {
                expected.add(Row.of(r[0], r[1], "n" + r[1], r[1]));
            }
        }

        List<Row> ordered = query(String.format(JOIN, ""));

        assertThat(ordered).containsExactlyElementsOf(expected);
        assertThat(client.calls("hmget")).isEqualTo(n);

        tEnv.getConfig().set("table.exec.async-lookup.output-mode", "ALLOW_UNORDERED");
        List<Row> unordered = query(String.format(JOIN, ""));

        assertThat(unordered).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void aPartialCacheCutsRedisCalls() throws Exception {
        int[][] rows =
                IntStream.range(0, 1_000)
                        .mapToObj(i -> new int[] {i, i % 5 + 1})
                        .toArray(int[][]::new);
        orders(rows);
        // sync: each lookup sees the cache its predecessors filled (async ones in flight do not)
        users(
                "lookup.async",
                "false",
                "lookup.cache",
                "PARTIAL",
                "lookup.partial-cache.max-rows",
                "100");

        List<Row> joined = query(String.format(JOIN, "LEFT"));

        List<Row> expected = new ArrayList<>();
        for (int[] r : rows) {
            expected.add(
                    r[1] <= 3
                            ? Row.of(r[0], r[1], "name" + r[1], 20 + r[1])
                            : Row.of(r[0], r[1], null, null)); // user 4 has no fields, 5 no hash
        }
        assertThat(joined).containsExactlyInAnyOrderElementsOf(expected);
        // users 1-5 read once each: the missing user 5 is cached too, user 4 needed EXISTS
        assertThat(client.calls("hmget")).isEqualTo(5);
        assertThat(client.calls("exists")).isEqualTo(2);
    }

    @Test
    void cachedRowsExpire() throws Exception {
        tEnv.createTemporarySystemFunction("after_millis", AfterMillis.class);
        tEnv.executeSql(
                "CREATE TEMPORARY VIEW orders AS SELECT oid, after_millis(uid, wait) AS uid,"
                        + " PROCTIME() AS pt FROM (VALUES (1, 1, 0), (2, 1, 0), (3, 1, 1500))"
                        + " AS t(oid, uid, wait)");
        users(
                "lookup.async",
                "false",
                "lookup.cache",
                "PARTIAL",
                "lookup.partial-cache.max-rows",
                "100",
                "lookup.partial-cache.expire-after-write",
                "1 s");

        List<Row> joined = query(String.format(JOIN, ""));

        assertThat(joined).extracting(r -> r.getField(2)).containsOnly("name1").hasSize(3);
        // order 2 comes right after order 1 and hits the cache; order 3 comes 1.5 s later
        assertThat(client.calls("hmget")).isEqualTo(2);
    }

    /** Returns its first argument, not before {@code millis} have passed since it was called. */
    public static class AfterMillis extends ScalarFunction {
        public Integer eval(Integer value, Integer millis) throws InterruptedException {
            long until = System.nanoTime() + millis * 1_000_000L;
            while (System.nanoTime() < until) {
                Thread.sleep(Math.max(1, (until - System.nanoTime()) / 1_000_000));
            }
            return value;
        }

        @Override
        public boolean isDeterministic() {
            return false;
        }
    }

    @Test
    void aFullCacheLoadsTheTableOnceWithItsScan() throws Exception {
        int[][] rows =
                IntStream.range(0, 300).mapToObj(i -> new int[] {i, i % 6}).toArray(int[][]::new);
        orders(rows);
        users("lookup.cache", "FULL", "lookup.full-cache.periodic-reload.interval", "1 h");

        List<Row> joined = query(String.format(JOIN, ""));

        List<Row> expected = new ArrayList<>();
        for (int[] r : rows) {
            if (r[1] >= 1 && r[1] <= 3) {
                expected.add(Row.of(r[0], r[1], "name" + r[1], 20 + r[1]));
            } else if (r[1] == 4) {
                expected.add(Row.of(r[0], 4, null, null));
            }
        }
        assertThat(joined).containsExactlyInAnyOrderElementsOf(expected);
        // the four hashes are read by the cache's scan, once, not per order
        assertThat(client.calls("scan")).isPositive();
        assertThat(client.calls("hmget")).isEqualTo(4);
        // the scan asks whether user:4, without either field, still exists
        assertThat(client.calls("exists")).isEqualTo(1);
    }

    @Test
    void aFullCacheNeedsItsReloadInterval() {
        orders(new int[][] {{1, 1}});
        users("lookup.cache", "FULL");

        Throwable t = catchThrowable(() -> query(String.format(JOIN, "")));

        assertThat(ExceptionUtils.stringifyException(t))
                .contains("Missing 'lookup.full-cache.periodic-reload.interval'");
    }

    @Test
    void conditionsOnOtherColumnsAreCheckedOnTheRowRead() throws Exception {
        tEnv.executeSql(
                "CREATE TEMPORARY VIEW orders AS SELECT oid, uid, who, PROCTIME() AS pt FROM"
                        + " (VALUES (1, 1, 'name1'), (2, 2, 'someone'), (3, 3, 'name3')) AS t(oid,"
                        + " uid, who)");
        users();

        List<Row> rows =
                query(
                        "SELECT o.oid, u.age FROM orders AS o JOIN users FOR SYSTEM_TIME AS OF o.pt"
                                + " AS u ON o.uid = u.id AND o.who = u.name");

        assertThat(rows).containsExactlyInAnyOrder(Row.of(1, 21), Row.of(3, 23));
    }

    @Test
    void aKeyColumnHoldingTheSeparatorMatchesOnlyAsTheLastPart() throws Exception {
        // written for a = 'x', b = 'y:z': a scan parses it back so
        client.hset("acct:x:y:z", Map.of("v", "1"));
        tEnv.executeSql(
                "CREATE TEMPORARY VIEW probe AS SELECT n, a, b, PROCTIME() AS pt FROM (VALUES (1,"
                        + " 'x', 'y:z'), (2, 'x:y', 'z')) AS t(n, a, b)");
        tEnv.executeSql(
                "CREATE TABLE accounts (a STRING, b STRING, v INT, PRIMARY KEY (a, b) NOT"
                        + " ENFORCED) WITH ("
                        + with("data-type", "hash", "key.prefix", "acct:")
                        + ")");

        List<Row> rows =
                query(
                        "SELECT p.n, c.a, c.b, c.v FROM probe AS p LEFT JOIN accounts FOR"
                                + " SYSTEM_TIME AS OF p.pt AS c ON p.a = c.a AND p.b = c.b");

        // a = 'x:y' would give the same key, which belongs to other values: no match
        assertThat(rows)
                .containsExactlyInAnyOrder(Row.of(1, "x", "y:z", 1), Row.of(2, null, null, null));
        assertThat(client.calls("hmget")).isEqualTo(1);
    }

    @Test
    void theKeyMetadataColumnCanBeTheJoinKey() throws Exception {
        orders(new int[][] {{1, 2}, {2, 7}});
        tEnv.executeSql(
                "CREATE TABLE profiles (name STRING, age INT, k STRING METADATA FROM 'key'"
                        + " VIRTUAL) WITH ("
                        + with(USERS)
                        + ")");

        List<Row> rows =
                query(
                        "SELECT o.oid, p.name, p.k FROM orders AS o LEFT JOIN profiles FOR"
                                + " SYSTEM_TIME AS OF o.pt AS p ON p.k = CONCAT('user:',"
                                + " CAST(o.uid AS STRING))");

        assertThat(rows)
                .containsExactlyInAnyOrder(Row.of(1, "name2", "user:2"), Row.of(2, null, null));
    }

    @Test
    void stringsAreReadWithGetAndTypedLikeScans() throws Exception {
        client.set("price:1", "9.99");
        client.set("price:2", "10");
        orders(new int[][] {{1, 1}, {2, 2}, {3, 3}});
        tEnv.executeSql(
                "CREATE TABLE prices (sku INT, price DECIMAL(10, 2), PRIMARY KEY (sku) NOT"
                        + " ENFORCED) WITH ("
                        + with(
                                "data-type",
                                "string",
                                "key.prefix",
                                "price:",
                                "lookup.async",
                                "true")
                        + ")");

        List<Row> rows =
                query(
                        "SELECT o.oid, p.price FROM orders AS o LEFT JOIN prices FOR SYSTEM_TIME"
                                + " AS OF o.pt AS p ON o.uid = p.sku");

        assertThat(rows)
                .containsExactlyInAnyOrder(
                        Row.of(1, new BigDecimal("9.99")),
                        Row.of(2, new BigDecimal("10.00")),
                        Row.of(3, null));
        assertThat(client.calls("get")).isEqualTo(3);
    }

    @Test
    void stringsDecodedByAFormatAndTheirTtl() throws Exception {
        client.set("evt:1", "{\"kind\":\"click\",\"pos\":{\"x\":3,\"y\":4}}");
        client.pexpire("evt:1", 600_000);
        client.set("evt:2", "{\"kind\":\"view\"}");
        orders(new int[][] {{1, 1}, {2, 2}, {3, 3}});
        tEnv.executeSql(
                "CREATE TABLE events (id INT, kind STRING, pos ROW<x INT, y INT>,"
                        + " ttl BIGINT METADATA VIRTUAL, PRIMARY KEY (id) NOT ENFORCED) WITH ("
                        + with("data-type", "string", "key.prefix", "evt:", "format", "json")
                        + ")");

        List<Row> rows =
                query(
                        "SELECT o.oid, e.kind, e.pos, e.ttl BETWEEN 1 AND 600000 FROM orders AS o"
                                + " LEFT JOIN events FOR SYSTEM_TIME AS OF o.pt AS e"
                                + " ON o.uid = e.id");

        assertThat(rows)
                .containsExactlyInAnyOrder(
                        Row.of(1, "click", Row.of(3, 4), true),
                        Row.of(2, "view", null, false),
                        Row.of(3, null, null, null));
        assertThat(client.calls("get")).isEqualTo(3);
        assertThat(client.calls("pttl")).isEqualTo(3);
    }

    @Test
    void sortedSetsGiveAMembersScoreAndRank() throws Exception {
        client.sync().zadd("board:eu", 10.5, "ann");
        client.sync().zadd("board:eu", 3, "bob");
        client.sync().zadd("board:us", 7, "ann");
        tEnv.executeSql(
                "CREATE TEMPORARY VIEW plays AS SELECT n, region, player, PROCTIME() AS pt FROM"
                        + " (VALUES (1, 'eu', 'ann'), (2, 'eu', 'bob'), (3, 'us', 'bob'), (4,"
                        + " 'us', 'ann')) AS t(n, region, player)");
        tEnv.executeSql(
                "CREATE TABLE boards (region STRING, `member` STRING, score DOUBLE, r BIGINT,"
                        + " PRIMARY KEY (region, `member`) NOT ENFORCED) WITH ("
                        + with("data-type", "zset", "key.prefix", "board:", "rank.column", "r")
                        + ")");

        List<Row> rows =
                query(
                        "SELECT p.n, b.score, b.r FROM plays AS p LEFT JOIN boards FOR SYSTEM_TIME"
                                + " AS OF p.pt AS b ON p.region = b.region AND p.player ="
                                + " b.`member`");

        assertThat(rows)
                .containsExactlyInAnyOrder(
                        Row.of(1, 10.5, 1L),
                        Row.of(2, 3.0, 0L),
                        Row.of(3, null, null),
                        Row.of(4, 7.0, 0L));
        assertThat(client.calls("zscore")).isEqualTo(4);
    }

    @Test
    void aJoinThatDoesNotGiveTheKeyIsRejected() {
        orders(new int[][] {{1, 1}});
        users();

        Throwable t =
                catchThrowable(
                        () ->
                                query(
                                        "SELECT o.oid FROM orders AS o JOIN users FOR SYSTEM_TIME"
                                                + " AS OF o.pt AS u ON o.uid = u.age"));

        assertThat(ExceptionUtils.findThrowable(t, ValidationException.class)).isPresent();
        assertThat(ExceptionUtils.stringifyException(t))
                .contains("PRIMARY KEY column(s) [id]", "'user:'", "conditions on [age]");
    }

    @Test
    void aZsetJoinWithoutTheMemberIsRejected() {
        orders(new int[][] {{1, 1}});
        tEnv.executeSql(
                "CREATE TABLE boards (region INT, `member` STRING, score DOUBLE,"
                        + " PRIMARY KEY (region, `member`) NOT ENFORCED) WITH ("
                        + with("data-type", "zset", "key.prefix", "board:")
                        + ")");

        Throwable t =
                catchThrowable(
                        () ->
                                query(
                                        "SELECT o.oid FROM orders AS o JOIN boards FOR SYSTEM_TIME"
                                                + " AS OF o.pt AS b ON o.uid = b.region"));

        assertThat(ExceptionUtils.stringifyException(t))
                .contains("'data-type' = 'zset'", "member column 'member'");
    }

    @Test
    void aDataTypeWithoutLookupsIsRejected() {
        orders(new int[][] {{1, 1}});
        tEnv.executeSql(
                "CREATE TABLE tags (id INT, `member` STRING, PRIMARY KEY (id, `member`) NOT"
                        + " ENFORCED) WITH ("
                        + with("data-type", "set", "key.prefix", "tags:")
                        + ")");

        Throwable t =
                catchThrowable(
                        () ->
                                query(
                                        "SELECT o.oid FROM orders AS o JOIN tags FOR SYSTEM_TIME"
                                                + " AS OF o.pt AS g ON o.uid = g.id AND 'x' ="
                                                + " g.`member`"));

        assertThat(ExceptionUtils.stringifyException(t))
                .contains("'hash', 'json', 'string' or 'zset', not 'set'");
    }

    @Test
    void aKeyOfAnotherTypeFailsNamingTheKey() {
        client.sync().sadd("user:8", "a");
        orders(new int[][] {{1, 1}, {2, 8}});
        users("lookup.async", "true");

        Throwable t = catchThrowable(() -> query(String.format(JOIN, "")));

        assertThat(ExceptionUtils.stringifyException(t))
                .contains("'user:8'", "HMGET", "WRONGTYPE", "does not hold a hash");
    }

    @Test
    void aValueThatDoesNotParseFollowsTheParseErrorPolicy() throws Exception {
        client.hset("user:2", Map.of("name", "name2", "age", "twenty"));
        orders(new int[][] {{1, 1}, {2, 2}});
        users();

        Throwable t = catchThrowable(() -> query(String.format(JOIN, "")));

        assertThat(ExceptionUtils.stringifyException(t)).contains("user:2", "age", "twenty", "INT");

        tEnv.executeSql("DROP TABLE users");
        users("scan.parse-error.policy", "set-null");
        assertThat(query(String.format(JOIN, "")))
                .containsExactlyInAnyOrder(Row.of(1, 1, "name1", 21), Row.of(2, 2, "name2", null));
    }

    @Test
    void anUnreachableServerFailsAfterTheRetries() {
        if (isCluster()) {
            return; // one server is enough: this is about the retries, not the deployment
        }
        orders(new int[][] {{1, 1}});
        tEnv.executeSql(
                "CREATE TABLE users (id INT, name STRING, PRIMARY KEY (id) NOT ENFORCED) WITH ("
                        + "'connector' = 'redis', 'url' = 'redis://127.0.0.1:1', 'data-type' ="
                        + " 'hash', 'key.prefix' = 'user:', 'lookup.max-retries' = '2',"
                        + " 'connect.timeout' = '200 ms')");

        Throwable t =
                catchThrowable(
                        () ->
                                query(
                                        "SELECT o.oid, u.name FROM orders AS o JOIN users FOR"
                                                + " SYSTEM_TIME AS OF o.pt AS u ON o.uid = u.id"));

        assertThat(ExceptionUtils.stringifyException(t))
                .contains(
                        "Lookup of key 'user:1' failed after 3 attempt(s)",
                        "'lookup.max-retries' = 2",
                        "127.0.0.1:1");
    }
}
