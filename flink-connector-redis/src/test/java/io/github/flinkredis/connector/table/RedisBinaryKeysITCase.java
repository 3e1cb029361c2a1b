package io.github.flinkredis.connector.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.flinkredis.connector.RedisITCaseBase;
import io.github.flinkredis.connector.convert.RedisParseException;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.XAddArgs;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.util.ExceptionUtils;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Keys are bytes: keys that are not UTF-8 text are read into BYTES key columns and the BYTES {@code
 * key} metadata exactly, found by point reads and lookups, and written back exactly; read into a
 * STRING column, such a key follows {@code scan.parse-error.policy}, and messages show it escaped
 * ({@code \xff}).
 *
 * <p>Strings in these tests stand for bytes one char per byte (ISO-8859-1): {@code "bin2:\u00ff"}
 * is the key {@code bin2:} followed by the byte 0xFF, not UTF-8 text.
 */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"standalone", "cluster"})
class RedisBinaryKeysITCase extends RedisITCaseBase {

    @Parameter String deployment;

    @Override
    protected String deployment() {
        return deployment;
    }

    /** The bytes of {@code s}, one per char (ISO-8859-1). */
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** {@code bytes} as a string of one char per byte (ISO-8859-1). */
    private static String s(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    /** The keys matching {@code pattern}, one char per byte. */
    private Set<String> keys(String pattern) {
        return client.binary().keys(pattern).stream()
                .map(RedisBinaryKeysITCase::s)
                .collect(Collectors.toSet());
    }

    /** The fields of hash {@code key}, one char per byte. */
    private Map<String, String> hash(String key) {
        Map<String, String> out = new TreeMap<>();
        client.binary().hgetall(b(key)).forEach((f, v) -> out.put(s(f), s(v)));
        return out;
    }

    private void hset(String key, String field, String value) {
        client.binary().hset(b(key), b(field), b(value));
    }

    private static String rootMessage(Throwable t) {
        Optional<RedisParseException> found =
                ExceptionUtils.findThrowable(t, RedisParseException.class);
        assertThat(found).as("a RedisParseException in %s", t).isPresent();
        return found.get().getMessage();
    }

    @BeforeEach
    void load() {
        hset("bin2:\u00ff", "v", "1");
        hset("bin2:\u00fe", "v", "2");
        client.resetStats();
    }

    private void createBinb(String... options) {
        tEnv.executeSql(
                "CREATE TABLE binb (k BYTES, v INT, PRIMARY KEY (k) NOT ENFORCED) WITH ("
                        + with(
                                concat(
                                        new String[] {"data-type", "hash", "key.prefix", "bin2:"},
                                        options))
                        + ")");
    }

    @Test
    void aBytesKeyColumnReadsAndCopiesDistinctKeysExactly() throws Exception {
        createBinb();
        tEnv.executeSql(
                "CREATE TABLE binbcp (k BYTES, v INT, PRIMARY KEY (k) NOT ENFORCED) WITH ("
                        + with("data-type", "hash", "key.prefix", "bincp:")
                        + ")");

        assertThat(query("SELECT k, v FROM binb"))
                .containsExactlyInAnyOrder(Row.of(b("\u00ff"), 1), Row.of(b("\u00fe"), 2));

        tEnv.executeSql("INSERT INTO binbcp SELECT k, v FROM binb").await();

        assertThat(keys("bincp:*")).containsExactlyInAnyOrder("bincp:\u00ff", "bincp:\u00fe");
        assertThat(hash("bincp:\u00ff")).isEqualTo(Map.of("v", "1"));
        assertThat(hash("bincp:\u00fe")).isEqualTo(Map.of("v", "2"));
    }

    @Test
    void aPointReadOnABytesKeyColumnReadsThatKey() throws Exception {
        createBinb();

        assertThat(query("SELECT k, v FROM binb WHERE k = X'FF'"))
                .containsExactly(Row.of(b("\u00ff"), 1));
        assertThat(query("SELECT k, v FROM binb WHERE k = X'FE'"))
                .containsExactly(Row.of(b("\u00fe"), 2));
        assertThat(query("SELECT k, v FROM binb WHERE k = X'FD'")).isEmpty();
        // (not IN: Flink 2.2 itself finds no row for a BYTES column IN (X'FE', X'FD'), also
        // without pushdown)
        // read by key, not found by SCAN
        assertThat(client.calls("scan")).isZero();
    }

    @Test
    void theBytesKeyMetadataIsTheKeyReadAndWrittenExactly() throws Exception {
        tEnv.executeSql(
                "CREATE TABLE bink (rk BYTES METADATA FROM 'key' VIRTUAL, v INT) WITH ("
                        + with("data-type", "hash", "key.prefix", "bin2:")
                        + ")");
        tEnv.executeSql(
                "CREATE TABLE binkw (rk BYTES METADATA FROM 'key', v INT) WITH ("
                        + with("data-type", "hash", "key.prefix", "binw:")
                        + ")");

        assertThat(query("SELECT rk, v FROM bink"))
                .containsExactlyInAnyOrder(
                        Row.of(b("bin2:\u00ff"), 1), Row.of(b("bin2:\u00fe"), 2));
        client.resetStats();
        assertThat(query("SELECT rk, v FROM bink WHERE rk = X'62696E323AFE'"))
                .containsExactly(Row.of(b("bin2:\u00fe"), 2));
        assertThat(client.calls("scan")).isZero();

        tEnv.executeSql("INSERT INTO binkw VALUES (X'62696E773AFF00', 7), (X'62696E773AFE', 8)")
                .await();

        assertThat(keys("binw:*")).containsExactlyInAnyOrder("binw:\u00ff\u0000", "binw:\u00fe");
        assertThat(hash("binw:\u00ff\u0000")).isEqualTo(Map.of("v", "7"));
        assertThat(query("SELECT rk, v FROM binkw"))
                .containsExactlyInAnyOrder(
                        Row.of(b("binw:\u00ff\u0000"), 7), Row.of(b("binw:\u00fe"), 8));
    }

    /**
     * Orders (oid, uk: a key part as BYTES, fk: the full key) with a processing-time attribute, in
     * a streaming table environment.
     */
    private void streamingOrders() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        tEnv = StreamTableEnvironment.create(env, EnvironmentSettings.inStreamingMode());
        tEnv.executeSql(
                "CREATE TEMPORARY VIEW orders AS SELECT oid, CAST(uk AS BYTES) AS uk,"
                        + " CAST(fk AS BYTES) AS fk, PROCTIME() AS pt FROM (VALUES"
                        + " (1, X'FF', X'62696E323AFF'), (2, X'FE', X'62696E323AFE'),"
                        + " (3, X'FD', X'62696E323AFD'), (4, X'FF', X'62696E323AFF'))"
                        + " AS t(oid, uk, fk)");
    }

    @Test
    void aLookupJoinOnABytesKeyColumnFindsTheKey() throws Exception {
        for (String async : new String[] {"false", "true"}) {
            streamingOrders();
            createBinb("lookup.async", async);

            List<Row> rows =
                    query(
                            "SELECT o.oid, u.k, u.v FROM orders AS o LEFT JOIN binb FOR"
                                    + " SYSTEM_TIME AS OF o.pt AS u ON o.uk = u.k");

            assertThat(rows)
                    .as("lookup.async = %s", async)
                    .containsExactlyInAnyOrder(
                            Row.of(1, b("\u00ff"), 1),
                            Row.of(2, b("\u00fe"), 2),
                            Row.of(3, null, null),
                            Row.of(4, b("\u00ff"), 1));
        }
    }

    @Test
    void aLookupJoinOnTheBytesKeyMetadataFindsTheKey() throws Exception {
        for (String async : new String[] {"false", "true"}) {
            streamingOrders();
            tEnv.executeSql(
                    "CREATE TABLE bink (rk BYTES METADATA FROM 'key' VIRTUAL, v INT) WITH ("
                            + with(
                                    "data-type",
                                    "hash",
                                    "key.prefix",
                                    "bin2:",
                                    "lookup.async",
                                    async)
                            + ")");

            List<Row> rows =
                    query(
                            "SELECT o.oid, u.v FROM orders AS o LEFT JOIN bink FOR SYSTEM_TIME"
                                    + " AS OF o.pt AS u ON o.fk = u.rk");

            assertThat(rows)
                    .as("lookup.async = %s", async)
                    .containsExactlyInAnyOrder(
                            Row.of(1, 1), Row.of(2, 2), Row.of(3, null), Row.of(4, 1));
        }
    }

    @Test
    void streamsWhoseKeysAreNotUtf8AreEachRead() throws Exception {
        // and o:\xef\xbf\xbd, the UTF-8 of U+FFFD, the text the other two used to be read as
        for (String key : List.of("o:\u00ff", "o:\u00fe", "o:\u00ef\u00bf\u00bd")) {
            for (int i = 1; i <= 2; i++) {
                client.binary()
                        .xadd(
                                b(key),
                                new XAddArgs().id("1000-" + i),
                                Map.of(b("n"), b(key.substring(2) + i)));
            }
        }
        // XREAD from a start position to the last entries (the tailing source), and XRANGE
        // from the first entry to the last (the bounded scan)
        for (String start : new String[] {"timestamp", "earliest"}) {
            streamingOrders();
            tEnv.executeSql(
                    "CREATE TABLE o (sk BYTES METADATA FROM 'key', id STRING METADATA FROM 'id',"
                            + " n BYTES) WITH ("
                            + with(
                                    concat(
                                            new String[] {
                                                "data-type",
                                                "stream",
                                                "key.prefix",
                                                "o:",
                                                "scan.startup.mode",
                                                start,
                                                "scan.bounded.mode",
                                                "latest"
                                            },
                                            start.equals("timestamp")
                                                    ? new String[] {
                                                        "scan.startup.timestamp-millis", "1"
                                                    }
                                                    : new String[0]))
                            + ")");

            assertThat(query("SELECT sk, id, n FROM o"))
                    .as("scan.startup.mode = %s", start)
                    .containsExactlyInAnyOrder(
                            Row.of(b("o:\u00ff"), "1000-1", b("\u00ff1")),
                            Row.of(b("o:\u00ff"), "1000-2", b("\u00ff2")),
                            Row.of(b("o:\u00fe"), "1000-1", b("\u00fe1")),
                            Row.of(b("o:\u00fe"), "1000-2", b("\u00fe2")),
                            Row.of(b("o:\u00ef\u00bf\u00bd"), "1000-1", b("\u00ef\u00bf\u00bd1")),
                            Row.of(b("o:\u00ef\u00bf\u00bd"), "1000-2", b("\u00ef\u00bf\u00bd2")));
        }
    }

    @Test
    void compositeBytesKeysSplitAtTheFirstSeparatorsAndOnlyTheLastPartMayHoldIt() throws Exception {
        hset("c:\u00ff:\u0001:x", "v", "1");
        hset("c:\u00ff\u00fe:", "v", "2");
        tEnv.executeSql(
                "CREATE TABLE c (a BYTES, b BYTES, v INT, PRIMARY KEY (a, b) NOT ENFORCED) WITH ("
                        + with("data-type", "hash", "key.prefix", "c:")
                        + ")");
        tEnv.executeSql(
                "CREATE TABLE ccp (a BYTES, b BYTES, v INT, PRIMARY KEY (a, b) NOT ENFORCED) WITH ("
                        + with("data-type", "hash", "key.prefix", "ccp:")
                        + ")");

        assertThat(query("SELECT a, b, v FROM c"))
                .containsExactlyInAnyOrder(
                        Row.of(b("\u00ff"), b("\u0001:x"), 1), Row.of(b("\u00ff\u00fe"), b(""), 2));
        assertThat(query("SELECT v FROM c WHERE a = X'FF' AND b = X'013A78'"))
                .containsExactly(Row.of(1));

        tEnv.executeSql("INSERT INTO ccp SELECT a, b, v FROM c").await();
        assertThat(keys("ccp:*"))
                .containsExactlyInAnyOrder("ccp:\u00ff:\u0001:x", "ccp:\u00ff\u00fe:");

        // a key part other than the last that holds the separator would read back differently
        Throwable t =
                catchThrowable(
                        () ->
                                tEnv.executeSql("INSERT INTO ccp VALUES (X'FF3A', X'01', 3)")
                                        .await());
        assertThat(ExceptionUtils.stringifyException(t))
                .contains("Column 'a'", "'\\xff:'", "separator ':'");
        assertThat(keys("ccp:*")).hasSize(2);
    }

    /** Keys under bin: that a STRING key column cannot hold, and one it can. */
    private void loadTextAndBinaryKeys() {
        hset("bin:\u00ff\u00fe\u0000x", "v", "1");
        hset("bin:ok", "v", "2");
    }

    private void createBinString(String policy) {
        tEnv.executeSql(
                "CREATE TABLE bins (k STRING, v INT, rk STRING METADATA FROM 'key' VIRTUAL,"
                        + " PRIMARY KEY (k) NOT ENFORCED) WITH ("
                        + with(
                                "data-type",
                                "hash",
                                "key.prefix",
                                "bin:",
                                "scan.parse-error.policy",
                                policy)
                        + ")");
    }

    @Test
    void aKeyThatIsNotUtf8FailsAStringKeyColumnNamingTheKeyEscaped() {
        loadTextAndBinaryKeys();
        createBinString("fail");

        Throwable t = catchThrowable(() -> query("SELECT k, v FROM bins"));

        assertThat(rootMessage(t))
                .contains("'bin:\\xff\\xfe\\x00x'", "'k'", "not valid UTF-8", "BYTES")
                .contains("'scan.parse-error.policy' is 'fail'");
        // the key metadata column too
        t = catchThrowable(() -> query("SELECT rk, v FROM bins"));
        assertThat(rootMessage(t))
                .contains("'bin:\\xff\\xfe\\x00x'", "METADATA FROM 'key'", "not valid UTF-8");
    }

    @Test
    void aKeyThatIsNotUtf8IsSkippedBySkipRow() throws Exception {
        loadTextAndBinaryKeys();
        createBinString("skip-row");

        assertThat(query("SELECT k, v, rk FROM bins")).containsExactly(Row.of("ok", 2, "bin:ok"));
        assertThat(query("SELECT rk, v FROM bins")).containsExactly(Row.of("bin:ok", 2));
    }

    @Test
    void aKeyThatIsNotUtf8IsNullBySetNullWhereNullIsAllowed() throws Exception {
        loadTextAndBinaryKeys();
        createBinString("set-null");

        // the metadata column may be NULL
        assertThat(query("SELECT rk, v FROM bins"))
                .containsExactlyInAnyOrder(Row.of(null, 1), Row.of("bin:ok", 2));
        // a PRIMARY KEY column may not
        Throwable t = catchThrowable(() -> query("SELECT k, v FROM bins"));
        assertThat(rootMessage(t))
                .contains("'bin:\\xff\\xfe\\x00x'", "'k'", "NULL is not allowed here");
    }

    /** Sets s:\xff = {a, \xff, \xfe} and s:\xfe = {b}, and a zset z:\xff = {\xff: 1.5, x: 2}. */
    private void loadCollections() {
        client.binary().sadd(b("s:\u00ff"), b("a"), b("\u00ff"), b("\u00fe"));
        client.binary().sadd(b("s:\u00fe"), b("b"));
        client.binary()
                .zadd(
                        b("z:\u00ff"),
                        ScoredValue.just(1.5, b("\u00ff")),
                        ScoredValue.just(2, b("x")));
    }

    @Test
    void setsAndSortedSetsWithBytesKeysAndMembersCopyExactly() throws Exception {
        loadCollections();
        tEnv.executeSql(
                "CREATE TABLE s (k BYTES, `member` BYTES, PRIMARY KEY (k, `member`) NOT ENFORCED)"
                        + " WITH ("
                        + with("data-type", "set", "key.prefix", "s:")
                        + ")");
        tEnv.executeSql(
                "CREATE TABLE scp (k BYTES, `member` BYTES, PRIMARY KEY (k, `member`) NOT"
                        + " ENFORCED) WITH ("
                        + with("data-type", "set", "key.prefix", "scp:")
                        + ")");
        tEnv.executeSql(
                "CREATE TABLE z (k BYTES, `member` BYTES, score DOUBLE, PRIMARY KEY (k, `member`)"
                        + " NOT ENFORCED) WITH ("
                        + with("data-type", "zset", "key.prefix", "z:")
                        + ")");
        tEnv.executeSql(
                "CREATE TABLE zcp (k BYTES, `member` BYTES, score DOUBLE, PRIMARY KEY (k,"
                        + " `member`) NOT ENFORCED) WITH ("
                        + with("data-type", "zset", "key.prefix", "zcp:")
                        + ")");

        assertThat(query("SELECT k, `member` FROM s"))
                .containsExactlyInAnyOrder(
                        Row.of(b("\u00ff"), b("a")),
                        Row.of(b("\u00ff"), b("\u00ff")),
                        Row.of(b("\u00ff"), b("\u00fe")),
                        Row.of(b("\u00fe"), b("b")));
        assertThat(query("SELECT `member`, score FROM z WHERE k = X'FF'"))
                .containsExactlyInAnyOrder(Row.of(b("\u00ff"), 1.5), Row.of(b("x"), 2.0));

        tEnv.executeSql("INSERT INTO scp SELECT k, `member` FROM s").await();
        tEnv.executeSql("INSERT INTO zcp SELECT k, `member`, score FROM z").await();

        assertThat(keys("scp:*")).containsExactlyInAnyOrder("scp:\u00ff", "scp:\u00fe");
        assertThat(members("scp:\u00ff")).containsExactlyInAnyOrder("a", "\u00ff", "\u00fe");
        assertThat(members("scp:\u00fe")).containsExactly("b");
        assertThat(keys("zcp:*")).containsExactly("zcp:\u00ff");
        List<String> scored = new ArrayList<>();
        client.binary()
                .zrangeWithScores(b("zcp:\u00ff"), 0, -1)
                .forEach(v -> scored.add(s(v.getValue()) + "=" + v.getScore()));
        assertThat(scored).containsExactly("\u00ff=1.5", "x=2.0");
    }

    private List<String> members(String key) {
        return client.binary().smembers(b(key)).stream()
                .map(RedisBinaryKeysITCase::s)
                .collect(Collectors.toList());
    }

    @Test
    void aSetKeyThatIsNotUtf8FollowsThePolicyInAStringKeyColumn() throws Exception {
        loadCollections();
        client.binary().sadd(b("s:ok"), b("c"));
        for (String policy : new String[] {"fail", "skip-row"}) {
            tEnv.executeSql("DROP TABLE IF EXISTS st");
            tEnv.executeSql(
                    "CREATE TABLE st (k STRING, `member` BYTES, PRIMARY KEY (k, `member`) NOT"
                            + " ENFORCED) WITH ("
                            + with(
                                    "data-type",
                                    "set",
                                    "key.prefix",
                                    "s:",
                                    "scan.parse-error.policy",
                                    policy)
                            + ")");
            if (policy.equals("fail")) {
                Throwable t = catchThrowable(() -> query("SELECT k, `member` FROM st"));
                assertThat(rootMessage(t))
                        .contains("not valid UTF-8", "'k'")
                        .containsAnyOf("'s:\\xff'", "'s:\\xfe'");
            } else {
                assertThat(query("SELECT k, `member` FROM st"))
                        .containsExactly(Row.of("ok", b("c")));
            }
        }
    }
}
