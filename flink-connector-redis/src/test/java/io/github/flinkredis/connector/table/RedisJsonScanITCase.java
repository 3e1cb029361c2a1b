package io.github.flinkredis.connector.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.flinkredis.connector.RedisStackITCaseBase;
import io.github.flinkredis.connector.RedisTestClient;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandType;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.types.Row;
import org.apache.flink.util.ExceptionUtils;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bounded SQL scans of RedisJSON documents: columns are top-level members (nested ROW, ARRAY and
 * MAP included), read with {@code JSON.GET key $.a $.b} for the selected columns only. Needs a
 * server with RedisJSON ({@code REDIS_STACK_URL}, or module files in {@code REDIS_MODULES}); the
 * cluster runs need {@code REDIS_MODULES}.
 */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"standalone", "cluster"})
class RedisJsonScanITCase extends RedisStackITCaseBase {

    @Parameter String deployment;

    @Override
    protected String deployment() {
        return deployment;
    }

    private static final int USERS = 500;

    /** A member no query selects, so that projection shows in the bytes Redis sends. */
    private static final String BIO = "b".repeat(2_000);

    private static String doc(int i) {
        return String.format(
                "{\"name\":\"n%d\",\"age\":%d,\"score\":%d.25,\"active\":%s,"
                        + "\"joined\":\"2024-01-%02d\",\"tags\":[\"t%d\",\"u\"],"
                        + "\"address\":{\"city\":\"c%d\",\"zip\":%d},\"attrs\":{\"k\":\"v%d\"},"
                        + "\"profile\":{\"nick\":\"p%d\",\"level\":%d},\"note\":null,"
                        + "\"bio\":\"%s\"}",
                i, i % 90, i, i % 2 == 0, i % 28 + 1, i, i, 10_000 + i, i, i, i % 5, BIO);
    }

    @BeforeEach
    void load() {
        client.load(
                USERS,
                (c, i) ->
                        c.dispatch(
                                CommandType.JSON_SET,
                                new StatusOutput<>(StringCodec.UTF8),
                                RedisTestClient.jsonArgs("user:" + i, doc(i))));
        // a key of another type under the prefix is not part of the table
        client.hset("user:hash", Map.of("name", "h"));
        tEnv.executeSql(
                "CREATE TABLE users (id INT, name STRING, age INT, score DECIMAL(10, 2),"
                        + " active BOOLEAN, joined DATE, tags ARRAY<STRING>,"
                        + " address ROW<city STRING, zip INT>, attrs MAP<STRING, STRING>,"
                        + " note STRING, k STRING METADATA FROM 'key' VIRTUAL,"
                        + " PRIMARY KEY (id) NOT ENFORCED) WITH ("
                        + with("data-type", "json", "key.prefix", "user:")
                        + ")");
        tEnv.executeSql(
                "CREATE TABLE profiles (id INT, nick STRING, level INT,"
                        + " PRIMARY KEY (id) NOT ENFORCED) WITH ("
                        + with("data-type", "json", "key.prefix", "user:", "json.path", "$.profile")
                        + ")");
        client.resetStats();
    }

    private static Row expected(int i) {
        return Row.of(
                i,
                "n" + i,
                i % 90,
                new BigDecimal(i + ".25"),
                i % 2 == 0,
                LocalDate.of(2024, 1, i % 28 + 1),
                new String[] {"t" + i, "u"},
                Row.of("c" + i, 10_000 + i),
                Map.of("k", "v" + i),
                null,
                "user:" + i);
    }

    @Test
    void readsEveryDocumentWithNestedColumns() throws Exception {
        List<Row> rows =
                query(
                        "SELECT id, name, age, score, active, joined, tags, address, attrs, note,"
                                + " k FROM users");

        assertThat(rows).hasSize(USERS);
        Set<String> seen = new HashSet<>();
        for (Row row : rows) {
            int id = (Integer) row.getField(0);
            assertThat(row).isEqualTo(expected(id));
            seen.add(row.getField(10).toString());
        }
        assertThat(seen).hasSize(USERS);
        assertThat(client.calls("json.get")).isEqualTo(USERS);
    }

    @Test
    void projectionFetchesOnlyTheSelectedMembers() throws Exception {
        long before = client.netOutputBytes();
        List<Row> one = query("SELECT name FROM users");
        long oneColumn = client.netOutputBytes() - before;

        assertThat(one).hasSize(USERS);
        // each document holds 2,000 bytes of 'bio', which no query selects: reading them would
        // send at least USERS * 2,000 bytes. The bound leaves room for what else the servers send
        // meanwhile: a cluster client's topology refresh reads CLUSTER NODES and INFO of every
        // node, kilobytes each time, and under load a query lasts long enough for several.
        assertThat(oneColumn).isLessThan(USERS * (long) BIO.length() / 2);

        client.resetStats();
        List<Row> two = query("SELECT id, name, address FROM users WHERE id = 7");
        assertThat(two).containsExactly(Row.of(7, "n7", Row.of("c7", 10_007)));
        assertThat(client.calls("scan")).isZero();
        assertThat(client.calls("json.get")).isEqualTo(1);
    }

    @Test
    void aSubPathRootsTheRow() throws Exception {
        List<Row> rows = query("SELECT id, nick, level FROM profiles");

        List<Row> expected = new ArrayList<>();
        for (int i = 0; i < USERS; i++) {
            expected.add(Row.of(i, "p" + i, i % 5));
        }
        assertThat(rows).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void keyFiltersArePointReadsAndAMissingKeyIsNoRow() throws Exception {
        List<Row> rows = query("SELECT id, name FROM users WHERE id IN (3, 4, 100000)");

        assertThat(rows).containsExactlyInAnyOrder(Row.of(3, "n3"), Row.of(4, "n4"));
        assertThat(client.calls("scan")).isZero();
        assertThat(client.calls("json.get")).isEqualTo(3);
    }

    @Test
    void aPointReadOfAKeyOfAnotherTypeIsSkipped() throws Exception {
        // no SCAN TYPE filter for a point read: JSON.GET answers that the type is wrong
        assertThat(query("SELECT k FROM users WHERE k IN ('user:hash', 'user:1')"))
                .containsExactly(Row.of("user:1"));
    }

    @Test
    void aMemberOfTheWrongTypeFailsNamingKeyMemberValueAndType() {
        client.jsonSet("bad:1", "{\"age\":\"abc\"}");
        client.jsonSet("bad:2", "{\"age\":1.5}");
        client.jsonSet("bad:3", "{\"address\":{\"city\":\"x\",\"zip\":\"nine\"}}");
        tEnv.executeSql(
                "CREATE TABLE bad (id INT, age INT, address ROW<city STRING, zip INT>,"
                        + " PRIMARY KEY (id) NOT ENFORCED) WITH ("
                        + with("data-type", "json", "key.prefix", "bad:")
                        + ")");

        Throwable t1 = catchThrowable(() -> query("SELECT id, age FROM bad WHERE id = 1"));
        assertThat(ExceptionUtils.stringifyException(t1)).contains("bad:1", "'age'", "abc", "INT");
        Throwable t2 = catchThrowable(() -> query("SELECT id, age FROM bad WHERE id = 2"));
        assertThat(ExceptionUtils.stringifyException(t2))
                .contains("bad:2", "'age'", "1.5", "not an integer");
        Throwable t3 = catchThrowable(() -> query("SELECT id, address FROM bad WHERE id = 3"));
        assertThat(ExceptionUtils.stringifyException(t3))
                .contains("bad:3", "'address'", "in zip", "nine");
    }

    @Test
    void aMissingMemberIsNullUnlessTheColumnIsNotNull() throws Exception {
        client.jsonSet("sparse:1", "{\"a\":1}");
        tEnv.executeSql(
                "CREATE TABLE sparse (id INT, a INT, b STRING, PRIMARY KEY (id) NOT ENFORCED)"
                        + " WITH ("
                        + with("data-type", "json", "key.prefix", "sparse:")
                        + ")");
        tEnv.executeSql(
                "CREATE TABLE strict (id INT, a INT, b STRING NOT NULL,"
                        + " PRIMARY KEY (id) NOT ENFORCED) WITH ("
                        + with("data-type", "json", "key.prefix", "sparse:")
                        + ")");

        assertThat(query("SELECT id, a, b FROM sparse")).containsExactly(Row.of(1, 1, null));
        Throwable t = catchThrowable(() -> query("SELECT id, a, b FROM strict"));
        assertThat(ExceptionUtils.stringifyException(t)).contains("sparse:1", "'b'", "NOT NULL");
    }

    @Test
    void theJsonPageExampleRuns() throws Exception {
        Assumptions.assumeFalse(isCluster(), "the page's example runs on one server");
        client.jsonSet(
                "profile:7",
                "{\"name\":\"ann\",\"age\":31,\"address\":{\"city\":\"Oslo\",\"zip\":\"0150\"},"
                        + "\"interests\":[\"ski\"]}");
        List<Row> rows = runMarkdownSql("docs/json.md");

        assertThat(rows).containsExactly(Row.of(7L, "ann", "Oslo"));
    }

    @Test
    void insertWritesDocumentsThatAScanReadsBack() throws Exception {
        String columns =
                "(id INT, name STRING, score DECIMAL(10, 2), tags ARRAY<STRING>,"
                        + " address ROW<city STRING, zip INT>, attrs MAP<STRING, STRING>,"
                        + " joined DATE, note STRING, PRIMARY KEY (id) NOT ENFORCED)";
        tEnv.executeSql(
                "CREATE TABLE docs "
                        + columns
                        + " WITH ("
                        + with("data-type", "json", "key.prefix", "out:", "sink.ttl", "1 h")
                        + ")");
        tEnv.executeSql(
                "CREATE TABLE first_only "
                        + columns
                        + " WITH ("
                        + with(
                                "data-type",
                                "json",
                                "key.prefix",
                                "out:",
                                "sink.write-mode",
                                "skip-existing",
                                "sink.ttl",
                                "2 h")
                        + ")");

        tEnv.executeSql(
                        "INSERT INTO docs VALUES (1, 'ann', 12.50, ARRAY['a', 'b'], ROW('Oslo',"
                                + " 150), MAP['k', 'v'], DATE '2024-05-01', CAST(NULL AS STRING))")
                .await();
        tEnv.executeSql(
                        "INSERT INTO first_only VALUES (1, 'other', 1.00, ARRAY['x'], ROW('x', 1),"
                                + " MAP['x', 'y'], DATE '2000-01-01', 'x'), (2, 'bob', 2.00,"
                                + " ARRAY['c'], ROW('Rome', 100), MAP['a', 'b'], DATE"
                                + " '2024-01-02', 'n')")
                .await();

        assertThat(query("SELECT id, name, score, tags, address, attrs, joined, note FROM docs"))
                .containsExactlyInAnyOrder(
                        Row.of(
                                1,
                                "ann",
                                new BigDecimal("12.50"),
                                new String[] {"a", "b"},
                                Row.of("Oslo", 150),
                                Map.of("k", "v"),
                                LocalDate.of(2024, 5, 1),
                                null),
                        Row.of(
                                2,
                                "bob",
                                new BigDecimal("2.00"),
                                new String[] {"c"},
                                Row.of("Rome", 100),
                                Map.of("a", "b"),
                                LocalDate.of(2024, 1, 2),
                                "n"));
        assertThat(client.sync().type("out:1")).isEqualTo("ReJSON-RL");
        // skip-existing leaves an existing document and its TTL as they are
        assertThat(client.sync().pttl("out:1")).isBetween(3_500_000L, 3_600_000L);
        assertThat(client.sync().pttl("out:2")).isBetween(7_100_000L, 7_200_000L);
        assertThat(client.calls("json.set")).isEqualTo(3);
    }

    @Test
    void decimalsBeyondTheDigitsOfADoubleAreWrittenExactly() throws Exception {
        tEnv.executeSql(
                "CREATE TABLE money (id INT, small DECIMAL(10, 2), big DECIMAL(20, 2), PRIMARY"
                        + " KEY (id) NOT ENFORCED) WITH ("
                        + with("data-type", "json", "key.prefix", "m:")
                        + ")");

        tEnv.executeSql("INSERT INTO money VALUES (1, 12.50, 1234567890123456.78)").await();

        // RedisJSON keeps numbers as doubles: more than 15 digits go as a string
        assertThat(query("SELECT id, small, big FROM money"))
                .containsExactly(
                        Row.of(1, new BigDecimal("12.50"), new BigDecimal("1234567890123456.78")));
        assertThat(
                        client.sync()
                                .dispatch(
                                        io.lettuce.core.protocol.CommandType.JSON_GET,
                                        new io.lettuce.core.output.ValueOutput<>(
                                                io.lettuce.core.codec.StringCodec.UTF8),
                                        new io.lettuce.core.protocol.CommandArgs<>(
                                                        io.lettuce.core.codec.StringCodec.UTF8)
                                                .addKey("m:1")))
                .isEqualTo("{\"small\":12.5,\"big\":\"1234567890123456.78\"}");
    }

    @Test
    void badOptionsAreRejected() {
        tEnv.executeSql(
                "CREATE TABLE wild (id INT, a INT) WITH ("
                        + with("data-type", "json", "json.path", "$..a")
                        + ")");
        assertThat(
                        ExceptionUtils.stringifyException(
                                catchThrowable(() -> query("SELECT * FROM wild"))))
                .contains("'json.path'", "$..a");
        tEnv.executeSql(
                "CREATE TABLE hashy (id INT, a INT) WITH ("
                        + with("data-type", "hash", "json.path", "$.a")
                        + ")");
        assertThat(
                        ExceptionUtils.stringifyException(
                                catchThrowable(() -> query("SELECT * FROM hashy"))))
                .contains("'json.path' applies to 'data-type' = 'json' only");
    }
}
