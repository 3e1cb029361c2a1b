package io.github.flinkredis.connector.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.flinkredis.connector.RedisITCaseBase;
import io.github.flinkredis.connector.config.RedisConnectionConfig;
import io.github.flinkredis.connector.config.RedisDataType;
import io.github.flinkredis.connector.config.RedisWriteOptions;
import io.github.flinkredis.connector.sink.LongStringSinks;
import io.github.flinkredis.connector.sink.RedisSink;
import io.github.flinkredis.testutils.RedisServer;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.Table;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.types.RowKind;
import org.apache.flink.util.ExceptionUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code INSERT INTO} redis tables and the DataStream {@link RedisSink}: what Redis holds
 * afterwards, read with plain commands and with the connector.
 */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"standalone", "cluster"})
class RedisSinkITCase extends RedisITCaseBase {

    @Parameter String deployment;

    @Override
    protected String deployment() {
        return deployment;
    }

    private void createUsers(String name, String... extra) {
        String[] options = new String[4 + extra.length];
        options[0] = "key.prefix";
        options[1] = "user:";
        options[2] = "sink.buffer-flush.max-rows";
        options[3] = "3";
        System.arraycopy(extra, 0, options, 4, extra.length);
        tEnv.executeSql(
                "CREATE TABLE "
                        + name
                        + " (id BIGINT, name STRING, age INT, balance DECIMAL(10, 2),"
                        + " PRIMARY KEY (id) NOT ENFORCED) WITH ("
                        + with(options)
                        + ")");
    }

    /** A sorted set table: board:<id> holds the players by score. */
    private void createBoard() {
        tEnv.executeSql(
                "CREATE TABLE board (id STRING, player STRING, score DOUBLE, PRIMARY KEY (id,"
                        + " player) NOT ENFORCED) WITH ("
                        + with(
                                "data-type",
                                "zset",
                                "key.prefix",
                                "board:",
                                "member.column",
                                "player")
                        + ")");
    }

    @Test
    void insertWritesHashesThatAScanReadsBack() throws Exception {
        createUsers("users");

        tEnv.executeSql(
                        "INSERT INTO users VALUES (1, 'ann', 31, 10.50), (2, 'bob', 25, 0.00),"
                                + " (3, 'cy', CAST(NULL AS INT), 7.25)")
                .await();

        assertThat(client.sync().hgetall("user:1"))
                .isEqualTo(Map.of("name", "ann", "age", "31", "balance", "10.50"));
        assertThat(client.sync().hgetall("user:3"))
                .isEqualTo(Map.of("name", "cy", "balance", "7.25"));
        assertThat(query("SELECT id, name, age, balance FROM users"))
                .containsExactlyInAnyOrder(
                        Row.of(1L, "ann", 31, new BigDecimal("10.50")),
                        Row.of(2L, "bob", 25, new BigDecimal("0.00")),
                        Row.of(3L, "cy", null, new BigDecimal("7.25")));
        assertThat(client.calls("hset")).isEqualTo(3);
    }

    @Test
    void anUpsertChangelogUpdatesAndDeletesKeys() throws Exception {
        client.hset("user:3", Map.of("name", "old", "age", "1", "extra", "kept"));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        StreamTableEnvironment streaming =
                StreamTableEnvironment.create(env, EnvironmentSettings.inStreamingMode());
        streaming.executeSql(
                "CREATE TABLE users (id BIGINT, name STRING, age INT,"
                        + " PRIMARY KEY (id) NOT ENFORCED) WITH ("
                        + with("key.prefix", "user:")
                        + ")");
        Table changelog =
                streaming.fromChangelogStream(
                        env.fromData(
                                Row.ofKind(RowKind.INSERT, 1L, "ann", 31),
                                Row.ofKind(RowKind.INSERT, 2L, "bob", 25),
                                Row.ofKind(RowKind.UPDATE_BEFORE, 1L, "ann", 31),
                                Row.ofKind(RowKind.UPDATE_AFTER, 1L, "anna", 32),
                                Row.ofKind(RowKind.DELETE, 2L, "bob", 25),
                                // merge: a NULL column removes the field, others stay
                                Row.ofKind(RowKind.INSERT, 3L, null, 40)));

        changelog.executeInsert("users").await();

        assertThat(client.sync().hgetall("user:1")).isEqualTo(Map.of("name", "anna", "age", "32"));
        assertThat(client.sync().exists("user:2")).isZero();
        assertThat(client.sync().hgetall("user:3")).isEqualTo(Map.of("age", "40", "extra", "kept"));
        // (the planner may turn the update of id 1 into a DELETE and an INSERT)
        assertThat(client.calls("hdel")).isEqualTo(1);
    }

    @Test
    void stringsSetsSortedSetsAndListsAreWritten() throws Exception {
        tEnv.executeSql(
                "CREATE TABLE prices (sku INT, price DECIMAL(10, 2), PRIMARY KEY (sku) NOT"
                        + " ENFORCED) WITH ("
                        + with("data-type", "string", "key.prefix", "price:")
                        + ")");
        tEnv.executeSql(
                "CREATE TABLE tags (id STRING, `member` STRING, PRIMARY KEY (id, `member`) NOT"
                        + " ENFORCED) WITH ("
                        + with("data-type", "set", "key.prefix", "tags:")
                        + ")");
        createBoard();
        tEnv.executeSql(
                "CREATE TABLE page_views (`element` STRING) WITH ("
                        + with("data-type", "list", "key.prefix", "views:")
                        + ")");

        tEnv.executeSql("INSERT INTO prices VALUES (1, 9.90), (2, 4.50)").await();
        tEnv.executeSql("INSERT INTO tags VALUES ('7', 'music'), ('7', 'travel'), ('8', 'art')")
                .await();
        tEnv.executeSql("INSERT INTO board VALUES ('w', 'ann', 120.5), ('w', 'bob', 95)").await();

        assertThat(client.sync().get("price:1")).isEqualTo("9.90");
        assertThat(query("SELECT sku, price FROM prices"))
                .containsExactlyInAnyOrder(
                        Row.of(1, new BigDecimal("9.90")), Row.of(2, new BigDecimal("4.50")));
        assertThat(client.sync().smembers("tags:7")).isEqualTo(Set.of("music", "travel"));
        assertThat(client.sync().zscore("board:w", "ann")).isEqualTo(120.5);
        assertThat(query("SELECT player, score FROM board WHERE score > 100"))
                .containsExactly(Row.of("ann", 120.5));

        Throwable noKey =
                catchThrowable(
                        () ->
                                tEnv.executeSql("INSERT INTO page_views VALUES ('7', 'home')")
                                        .await());
        assertThat(ExceptionUtils.stringifyException(noKey))
                .contains(
                        "needs the key of each row: PRIMARY KEY columns that build it ('views:'",
                        "besides the columns of a record",
                        "'key.pattern' = 'views:*'");
    }

    @Test
    void listsAreAppendedInOrder() throws Exception {
        tEnv.executeSql(
                "CREATE TABLE page_views (id STRING, idx BIGINT, `element` STRING, PRIMARY KEY (id,"
                        + " idx) NOT ENFORCED) WITH ("
                        + with("data-type", "list", "key.prefix", "views:", "index.column", "idx")
                        + ")");

        tEnv.executeSql(
                        "INSERT INTO page_views VALUES ('7', 0, 'home'), ('7', 1, 'cart'), ('7', 2,"
                                + " 'pay')")
                .await();

        assertThat(client.sync().lrange("views:7", 0, -1)).containsExactly("home", "cart", "pay");
    }

    @Test
    void aTtlIsSetWithEveryWrite() throws Exception {
        createUsers("users", "sink.ttl", "1 h");
        tEnv.executeSql(
                "CREATE TABLE prices (sku INT, price STRING, PRIMARY KEY (sku) NOT ENFORCED) WITH ("
                        + with("data-type", "string", "key.prefix", "price:", "sink.ttl", "10 min")
                        + ")");

        tEnv.executeSql("INSERT INTO users VALUES (1, 'ann', 31, 1.00)").await();
        tEnv.executeSql("INSERT INTO prices VALUES (1, 'x')").await();

        assertThat(client.sync().pttl("user:1")).isBetween(3_500_000L, 3_600_000L);
        assertThat(client.sync().pttl("price:1")).isBetween(500_000L, 600_000L);
        assertThat(client.calls("pexpire")).isEqualTo(1);
    }

    @Test
    void writeModesReplaceOrSkipExistingKeys() throws Exception {
        client.hset("user:1", Map.of("name", "old", "extra", "x"));
        client.hset("user:2", Map.of("name", "kept"));
        client.pexpire("user:2", 60_000);
        client.set("price:1", "1.00");
        createUsers("replaced", "sink.write-mode", "replace", "sink.ttl", "1 h");
        createUsers("skipping", "sink.write-mode", "skip-existing");
        tEnv.executeSql(
                "CREATE TABLE prices (sku INT, price STRING, PRIMARY KEY (sku) NOT ENFORCED) WITH ("
                        + with(
                                "data-type",
                                "string",
                                "key.prefix",
                                "price:",
                                "sink.write-mode",
                                "skip-existing")
                        + ")");

        tEnv.executeSql("INSERT INTO replaced VALUES (1, 'ann', 31, CAST(NULL AS DECIMAL(10, 2)))")
                .await();
        tEnv.executeSql("INSERT INTO skipping VALUES (2, 'bob', 25, 1.00), (3, 'cy', 47, 2.00)")
                .await();
        tEnv.executeSql("INSERT INTO prices VALUES (1, '9.99'), (2, '4.50')").await();

        // replace: exactly the row's non-NULL columns, with the TTL
        assertThat(client.sync().hgetall("user:1")).isEqualTo(Map.of("name", "ann", "age", "31"));
        assertThat(client.sync().pttl("user:1")).isBetween(3_500_000L, 3_600_000L);
        // skip-existing: user:2 and its TTL untouched, user:3 written
        assertThat(client.sync().hgetall("user:2")).isEqualTo(Map.of("name", "kept"));
        assertThat(client.sync().pttl("user:2")).isBetween(1L, 60_000L);
        assertThat(client.sync().hgetall("user:3"))
                .isEqualTo(Map.of("name", "cy", "age", "47", "balance", "2.00"));
        assertThat(client.sync().get("price:1")).isEqualTo("1.00");
        assertThat(client.sync().get("price:2")).isEqualTo("4.50");
        assertThat(client.calls("eval")).isEqualTo(3);
    }

    @Test
    void aTtlMetadataColumnSetsEachRowsTtl() throws Exception {
        tEnv.executeSql(
                "CREATE TABLE sessions (id BIGINT, token STRING, ttl_ms BIGINT METADATA FROM"
                        + " 'ttl', PRIMARY KEY (id) NOT ENFORCED) WITH ("
                        // the column decides for every row, also where it sets no TTL
                        + with("key.prefix", "session:", "sink.ttl", "1 h")
                        + ")");

        tEnv.executeSql(
                        "INSERT INTO sessions VALUES (1, 'a', 5000), (2, 'b', CAST(NULL AS"
                                + " BIGINT)), (3, 'c', -1)")
                .await();

        assertThat(client.sync().pttl("session:1")).isBetween(1L, 5_000L);
        assertThat(client.sync().pttl("session:2")).isEqualTo(-1L);
        assertThat(client.sync().pttl("session:3")).isEqualTo(-1L);
        assertThat(client.sync().hgetall("session:1")).isEqualTo(Map.of("token", "a"));
        assertThat(query("SELECT id, token FROM sessions WHERE ttl_ms > 0"))
                .containsExactly(Row.of(1L, "a"));
    }

    @Test
    void aWriteModeForAnotherTypeIsRejected() {
        tEnv.executeSql(
                "CREATE TABLE tags (id STRING, `member` STRING, PRIMARY KEY (id, `member`) NOT"
                        + " ENFORCED) WITH ("
                        + with(
                                "data-type",
                                "set",
                                "key.prefix",
                                "tags:",
                                "sink.write-mode",
                                "replace")
                        + ")");

        Throwable t =
                catchThrowable(() -> tEnv.executeSql("INSERT INTO tags VALUES ('1', 'a')").await());

        assertThat(ExceptionUtils.stringifyException(t))
                .contains("'sink.write-mode'", "'replace' applies to hash, json and string tables");
    }

    @Test
    void theLastOfManyUpdatesOfOneKeyWins() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        RedisSink<Long> sink =
                LongStringSinks.of(
                        RedisConnectionConfig.fromUrl(redisUrl()).build(),
                        new RedisWriteOptions(RedisDataType.STRING, 7, Duration.ZERO, 4, 3, null),
                        "counter:",
                        3);

        env.fromSequence(0, 9_999).sinkTo(sink);
        env.execute("ordered writes");

        assertThat(client.sync().get("counter:0")).isEqualTo("9999");
        assertThat(client.sync().get("counter:1")).isEqualTo("9997");
        assertThat(client.sync().get("counter:2")).isEqualTo("9998");
        assertThat(client.calls("set")).isEqualTo(10_000);
    }

    /** Runs in the task thread after the n-th element: kills the sink's connections. */
    private static volatile Runnable killConnections;

    private static final java.util.concurrent.atomic.AtomicLong KILLED =
            new java.util.concurrent.atomic.AtomicLong();

    @Test
    void connectionsKilledDuringAJobAreReopenedAndNothingIsLost() throws Exception {
        List<RedisServer> nodes = isCluster() ? cluster.primaries() : List.of(redis);
        KILLED.set(0);
        killConnections =
                () -> {
                    for (RedisServer node : nodes) {
                        try {
                            // every client but the harness's own connection
                            KILLED.addAndGet(
                                    Long.parseLong(
                                            node.command(
                                                            "CLIENT", "KILL", "TYPE", "normal",
                                                            "SKIPME", "yes")
                                                    .trim()));
                        } catch (java.io.IOException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                };
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        RedisSink<Long> sink =
                LongStringSinks.of(
                        RedisConnectionConfig.fromUrl(redisUrl()).build(),
                        new RedisWriteOptions(RedisDataType.STRING, 50, Duration.ZERO, 2, 5, null),
                        "row:",
                        0);

        env.fromSequence(0, 4_999)
                .map(
                        i -> {
                            if (i == 2_500) {
                                killConnections.run();
                            }
                            return i;
                        })
                .sinkTo(sink);
        env.execute("writes across killed connections");

        assertThat(KILLED.get()).as("connections killed").isPositive();
        assertThat(client.dbSize()).isEqualTo(5_000);
        assertThat(client.sync().get("row:4999")).isEqualTo("4999");
        // the batches in flight when the connection was killed were sent again
        assertThat(client.calls("set")).isGreaterThanOrEqualTo(5_000);
    }

    @Test
    void badRowsFailNamingTheColumnKeyAndCommand() {
        createUsers("users");
        client.set("user:9", "a string");

        Throwable nullKey =
                catchThrowable(
                        () ->
                                tEnv.executeSql(
                                                "INSERT INTO users VALUES (CAST(NULL AS BIGINT),"
                                                        + " 'x', 1, 1.00)")
                                        .await());
        Throwable wrongType =
                catchThrowable(
                        () ->
                                tEnv.executeSql("INSERT INTO users VALUES (9, 'x', 1, 1.00)")
                                        .await());

        // PRIMARY KEY columns are NOT NULL: Flink's own check names the column
        assertThat(ExceptionUtils.stringifyException(nullKey)).contains("Column 'id' is NOT NULL");
        assertThat(ExceptionUtils.stringifyException(wrongType))
                .contains("HSET of key 'user:9' failed", "WRONGTYPE");
        assertThat(client.sync().get("user:9")).isEqualTo("a string");
    }

    @Test
    void aNullScoreFailsNamingTheColumnAndKey() {
        createBoard();

        Throwable t =
                catchThrowable(
                        () ->
                                tEnv.executeSql(
                                                "INSERT INTO board VALUES ('w', 'ann',"
                                                        + " CAST(NULL AS DOUBLE))")
                                        .await());

        assertThat(ExceptionUtils.stringifyException(t))
                .contains("Column 'score' (the score) is NULL", "'board:w'");
        assertThat(client.sync().exists("board:w")).isZero();
    }

    @Test
    void anUpdatingQueryIntoAnAppendOnlyTableFailsAtPlanning() {
        StreamTableEnvironment streaming =
                StreamTableEnvironment.create(
                        StreamExecutionEnvironment.getExecutionEnvironment(),
                        EnvironmentSettings.inStreamingMode());
        streaming.executeSql(
                "CREATE TABLE page_views (id STRING, idx BIGINT, `element` STRING, PRIMARY KEY (id,"
                        + " idx) NOT ENFORCED) WITH ("
                        + with("data-type", "list", "key.prefix", "views:", "index.column", "idx")
                        + ")");

        Throwable t =
                catchThrowable(
                        () ->
                                streaming.executeSql(
                                        "INSERT INTO page_views SELECT id, COUNT(*), MAX(`element`)"
                                                + " FROM (VALUES ('a', 'x'), ('a', 'y')) AS"
                                                + " v(id, `element`) GROUP BY id"));

        assertThat(ExceptionUtils.stringifyException(t))
                .contains("doesn't support consuming update");
    }

    @Test
    void streamsGetOneEntryPerRowWithTheNonNullColumnsAsFields() throws Exception {
        // one stream: a key.pattern without glob characters names it
        tEnv.executeSql(
                "CREATE TABLE readings (device STRING, temp DOUBLE, note STRING) WITH ("
                        + with(
                                "data-type",
                                "stream",
                                "scan.bounded.mode",
                                "latest",
                                "key.pattern",
                                "readings")
                        + ")");

        // (literals only: Flink plans a VALUES with expressions such as CAST(NULL AS ...) as a
        // UNION of one source per row, whose order is not defined)
        tEnv.executeSql(
                        "INSERT INTO readings SELECT device, temp, NULLIF(note, '') FROM (VALUES"
                                + " ('d1', 21.5, 'ok'), ('d2', -3.25, ''), ('d1', 22.0, 'ok'))"
                                + " AS v(device, temp, note)")
                .await();

        assertThat(client.sync().xrange("readings", Range.create("-", "+")))
                .extracting(StreamMessage::getBody)
                .containsExactly(
                        Map.of("device", "d1", "temp", "21.5", "note", "ok"),
                        Map.of("device", "d2", "temp", "-3.25"),
                        Map.of("device", "d1", "temp", "22.0", "note", "ok"));
        assertThat(client.calls("xadd")).isEqualTo(3);
    }

    @Test
    void streamEntriesGoToTheKeyAndEntryIdOfTheirMetadataColumnsAndReplaysAreSkipped()
            throws Exception {
        tEnv.executeSql(
                "CREATE TABLE events (target STRING METADATA FROM 'key', entry_id STRING METADATA"
                        + " FROM 'id', kind STRING, amount INT) WITH ("
                        + with(
                                "data-type",
                                "stream",
                                "scan.bounded.mode",
                                "latest",
                                "key.prefix",
                                "ev:")
                        + ")");
        String rows =
                "INSERT INTO events (target, entry_id, kind, amount) SELECT target, NULLIF(id,"
                        + " ''), kind, amount FROM (VALUES ('ev:a', '1000-1', 'buy', 3), ('ev:b',"
                        + " '', 'sell', 1), ('ev:a', '1000-2', 'sell', 2), ('ev:a', '2000-*',"
                        + " 'buy', 7)) AS v(target, id, kind, amount)";

        tEnv.executeSql(rows).await();
        // the same rows again, as a job restored from a checkpoint sends them: entries with an
        // explicit ID at or below the stream's last are skipped, the others appended again
        tEnv.executeSql(rows).await();

        assertThat(client.sync().xrange("ev:a", Range.create("-", "+")))
                .extracting(e -> e.getId() + " " + e.getBody())
                .containsExactly(
                        "1000-1 {kind=buy, amount=3}",
                        "1000-2 {kind=sell, amount=2}",
                        "2000-0 {kind=buy, amount=7}",
                        "2000-1 {kind=buy, amount=7}");
        assertThat(client.sync().xrange("ev:b", Range.create("-", "+")))
                .extracting(StreamMessage::getBody)
                .containsExactly(
                        Map.of("kind", "sell", "amount", "1"),
                        Map.of("kind", "sell", "amount", "1"));
    }

    @Test
    void streamsAreTrimmedToAboutTheMaxLength() throws Exception {
        tEnv.executeSql(
                "CREATE TABLE ticks (n INT) WITH ("
                        + with(
                                "data-type",
                                "stream",
                                "scan.bounded.mode",
                                "latest",
                                "key.pattern",
                                "ticks",
                                "sink.stream.max-length",
                                "100")
                        + ")");
        tEnv.executeSql(
                "CREATE TEMPORARY TABLE numbers (n INT) WITH ('connector' = 'datagen',"
                        + " 'fields.n.kind' = 'sequence', 'fields.n.start' = '1',"
                        + " 'fields.n.end' = '1000', 'number-of-rows' = '1000')");

        tEnv.executeSql("INSERT INTO ticks SELECT n FROM numbers").await();

        // MAXLEN ~ trims whole nodes of the stream (100 entries each by default), so between
        // 100 and 199 of the last entries stay
        assertThat(client.calls("xadd")).isEqualTo(1_000);
        assertThat(client.sync().xlen("ticks")).isBetween(100L, 199L);
    }

    @Test
    void badStreamRowsFailNamingTheStreamAndColumns() {
        tEnv.executeSql(
                "CREATE TABLE readings (device STRING, temp DOUBLE) WITH ("
                        + with(
                                "data-type",
                                "stream",
                                "scan.bounded.mode",
                                "latest",
                                "key.pattern",
                                "readings")
                        + ")");
        tEnv.executeSql(
                "CREATE TABLE nokey (device STRING) WITH ("
                        + with(
                                "data-type",
                                "stream",
                                "scan.bounded.mode",
                                "latest",
                                "key.prefix",
                                "s:")
                        + ")");
        client.set("readings", "a string");

        Throwable allNull =
                catchThrowable(
                        () ->
                                tEnv.executeSql(
                                                "INSERT INTO readings VALUES (CAST(NULL AS"
                                                        + " STRING), CAST(NULL AS DOUBLE))")
                                        .await());
        Throwable wrongType =
                catchThrowable(
                        () -> tEnv.executeSql("INSERT INTO readings VALUES ('d', 1.0)").await());
        Throwable noKey = catchThrowable(() -> tEnv.executeSql("INSERT INTO nokey VALUES ('d')"));

        assertThat(ExceptionUtils.stringifyException(allNull))
                .contains(
                        "Every field column (device, temp) is NULL in a row for stream"
                                + " 'readings'");
        assertThat(ExceptionUtils.stringifyException(wrongType))
                .contains("XADD of key 'readings' failed", "WRONGTYPE");
        assertThat(ExceptionUtils.stringifyException(noKey))
                .contains(
                        "needs the key of each row",
                        "METADATA FROM 'key'",
                        "'key.pattern' = 's:*'");
    }

    @Test
    void aTableOfOneSortedSetIsWrittenThroughItsLiteralKeyPattern() throws Exception {
        tEnv.executeSql(
                "CREATE TABLE leaderboard (player STRING, points DOUBLE, PRIMARY KEY (player) NOT"
                        + " ENFORCED) WITH ("
                        + with(
                                "data-type",
                                "zset",
                                "key.pattern",
                                "leaderboard",
                                "member.column",
                                "player",
                                "score.column",
                                "points")
                        + ")");

        tEnv.executeSql("INSERT INTO leaderboard VALUES ('ann', 10), ('bob', 7.5)").await();

        assertThat(client.sync().zrangeWithScores("leaderboard", 0, -1))
                .extracting(v -> v.getValue() + "=" + v.getScore())
                .containsExactly("bob=7.5", "ann=10.0");
        assertThat(query("SELECT player, points FROM leaderboard"))
                .containsExactlyInAnyOrder(Row.of("ann", 10.0), Row.of("bob", 7.5));
    }

    @Test
    void eachListAndStreamGetsItsRowsInInputOrderFromParallelWriters() throws Exception {
        tEnv.executeSql(
                "CREATE TABLE seq (id STRING, idx BIGINT, `element` STRING, PRIMARY KEY (id, idx)"
                        + " NOT ENFORCED) WITH ("
                        + with(
                                "data-type",
                                "list",
                                "key.prefix",
                                "seq:",
                                "index.column",
                                "idx",
                                "sink.parallelism",
                                "3",
                                "sink.buffer-flush.max-rows",
                                "7")
                        + ")");
        tEnv.executeSql(
                "CREATE TABLE log (target STRING METADATA FROM 'key', n INT) WITH ("
                        + with(
                                "data-type",
                                "stream",
                                "scan.bounded.mode",
                                "latest",
                                "sink.parallelism",
                                "3",
                                "sink.buffer-flush.max-rows",
                                "7")
                        + ")");
        // a VALUES of literals is one source that emits its rows in order: 1 to 400
        String numbers = numbers(400);

        // one source subtask, three writers: the rows of one key must all go to one writer
        tEnv.executeSql(
                        "INSERT INTO seq SELECT CAST(MOD(n, 4) AS STRING), CAST(n AS BIGINT),"
                                + " CAST(n AS STRING) FROM "
                                + numbers)
                .await();
        tEnv.executeSql(
                        "INSERT INTO log SELECT 'log:' || CAST(MOD(n, 4) AS STRING), n FROM "
                                + numbers)
                .await();

        for (int k = 0; k < 4; k++) {
            List<Integer> list =
                    client.sync().lrange("seq:" + k, 0, -1).stream()
                            .map(Integer::valueOf)
                            .collect(java.util.stream.Collectors.toList());
            List<Integer> stream =
                    client.sync().xrange("log:" + k, Range.create("-", "+")).stream()
                            .map(e -> Integer.valueOf(e.getBody().get("n")))
                            .collect(java.util.stream.Collectors.toList());
            assertThat(list).hasSize(100).isSorted();
            assertThat(stream).isEqualTo(list);
        }
    }

    @Test
    void aKeyColumnHoldingTheSeparatorOutsideTheLastPositionFails() throws Exception {
        tEnv.executeSql(
                "CREATE TABLE pairs (a STRING, b STRING, v STRING, PRIMARY KEY (a, b) NOT"
                        + " ENFORCED) WITH ("
                        + with("key.prefix", "k:")
                        + ")");

        // the last key column may hold the separator: a scan splits off the others first
        tEnv.executeSql("INSERT INTO pairs VALUES ('x', 'y:z', 'ok')").await();
        Throwable t =
                catchThrowable(
                        () ->
                                tEnv.executeSql("INSERT INTO pairs VALUES ('x:y', 'z', 'no')")
                                        .await());

        assertThat(ExceptionUtils.stringifyException(t))
                .contains(
                        "Column 'a' of the PRIMARY KEY holds 'x:y', which contains the key"
                                + " separator ':' (option 'key.separator')");
        assertThat(client.sync().hgetall("k:x:y:z")).isEqualTo(Map.of("v", "ok"));
        assertThat(query("SELECT a, b, v FROM pairs")).containsExactly(Row.of("x", "y:z", "ok"));
    }

    @Test
    void badSinkTablesAreRejectedNamingTheOption() {
        tEnv.executeSql(
                "CREATE TABLE zero_ttl (id BIGINT, v STRING, PRIMARY KEY (id) NOT ENFORCED) WITH ("
                        + with("key.prefix", "z:", "sink.ttl", "0 ms")
                        + ")");
        tEnv.executeSql(
                "CREATE TABLE only_key (id BIGINT, PRIMARY KEY (id) NOT ENFORCED) WITH ("
                        + with("key.prefix", "o:")
                        + ")");

        tEnv.executeSql(
                "CREATE TABLE labelled (id BIGINT, v STRING, PRIMARY KEY (id) NOT ENFORCED) WITH ("
                        + with("key.prefix", "l:", "label.columns", "v")
                        + ")");
        tEnv.executeSql(
                "CREATE TABLE trimmed (id BIGINT, v STRING, PRIMARY KEY (id) NOT ENFORCED) WITH ("
                        + with("key.prefix", "t:", "sink.stream.max-length", "10")
                        + ")");
        tEnv.executeSql(
                "CREATE TABLE duplicates (id BIGINT, v STRING, PRIMARY KEY (id) NOT ENFORCED)"
                        + " WITH ("
                        + with("key.prefix", "d:", "sink.timeseries.duplicate-policy", "sum")
                        + ")");

        Throwable labelsWritten =
                catchThrowable(() -> tEnv.executeSql("INSERT INTO labelled VALUES (1, 'a')"));
        Throwable labelsRead = catchThrowable(() -> query("SELECT v FROM labelled"));
        Throwable maxLength =
                catchThrowable(() -> tEnv.executeSql("INSERT INTO trimmed VALUES (1, 'a')"));
        Throwable policy =
                catchThrowable(() -> tEnv.executeSql("INSERT INTO duplicates VALUES (1, 'a')"));
        Throwable zeroTtl =
                catchThrowable(() -> tEnv.executeSql("INSERT INTO zero_ttl VALUES (1, 'a')"));
        Throwable onlyKey =
                catchThrowable(() -> tEnv.executeSql("INSERT INTO only_key VALUES (1)"));

        String labelsOnHash =
                "Option 'label.columns' applies to 'data-type' = 'timeseries' only, not 'hash'";
        assertThat(ExceptionUtils.stringifyException(labelsWritten)).contains(labelsOnHash);
        assertThat(ExceptionUtils.stringifyException(labelsRead)).contains(labelsOnHash);
        assertThat(ExceptionUtils.stringifyException(maxLength))
                .contains(
                        "Option 'sink.stream.max-length' applies to 'data-type' = 'stream' only,"
                                + " not 'hash'");
        assertThat(ExceptionUtils.stringifyException(policy))
                .contains(
                        "Option 'sink.timeseries.duplicate-policy' applies to 'data-type' ="
                                + " 'timeseries' only, not 'hash'");
        assertThat(ExceptionUtils.stringifyException(zeroTtl))
                .contains("Invalid value '0 ms' for option 'sink.ttl'", "at least 1 ms");
        assertThat(ExceptionUtils.stringifyException(onlyKey))
                .contains("A hash table needs a column besides its PRIMARY KEY columns");
        assertThat(client.dbSize()).isZero();
    }

    @Test
    void aKeyWrittenByManyRowsOfAnInsertOnlyTableEndsWithTheLastFromParallelWriters()
            throws Exception {
        tEnv.executeSql(
                "CREATE TABLE latest (n INT) WITH ("
                        + with(
                                "data-type",
                                "string",
                                "key.pattern",
                                "latest",
                                "sink.parallelism",
                                "3",
                                "sink.buffer-flush.max-rows",
                                "5")
                        + ")");
        String numbers = numbers(300);

        tEnv.executeSql("INSERT INTO latest SELECT n FROM " + numbers).await();

        assertThat(client.sync().get("latest")).isEqualTo("300");
    }
}
