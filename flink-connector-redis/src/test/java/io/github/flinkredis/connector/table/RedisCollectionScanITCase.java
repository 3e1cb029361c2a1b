package io.github.flinkredis.connector.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.flinkredis.connector.RedisITCaseBase;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.types.Row;
import org.apache.flink.util.ExceptionUtils;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bounded SQL scans of sets, lists and sorted sets: one row per member or element, read in pages
 * (SSCAN, LRANGE, ZRANGE), with the index and score filters pushed into the range bounds and
 * compared with the same query without pushdown.
 */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"standalone", "cluster"})
class RedisCollectionScanITCase extends RedisITCaseBase {

    @Parameter String deployment;

    @Override
    protected String deployment() {
        return deployment;
    }

    /** Small keys of each type: key i holds i % 7 + 1 members. */
    private static final int KEYS = 300;

    /** Members of the one large key of each type, read in several pages. */
    private static final int LARGE = 2_500;

    @BeforeEach
    void load() {
        client.load(
                KEYS, (c, i) -> c.sadd("tags:" + i, members(i % 7 + 1, i).toArray(new String[0])));
        client.load(
                KEYS,
                (c, i) -> c.rpush("events:" + i, members(i % 7 + 1, i).toArray(new String[0])));
        client.load(KEYS * 7, (c, n) -> c.zadd("scores:" + n / 7, n % 7 * 10.5, "m" + n % 7));
        client.load(LARGE, (c, i) -> c.sadd("tags:big", "t" + i));
        client.load(LARGE, (c, i) -> c.rpush("events:big", "e" + i));
        client.load(LARGE, (c, i) -> c.zadd("scores:big", i / 2, "z" + i));
        // keys of another type under the same prefixes are not part of the tables
        client.set("tags:string", "x");
        client.hset("scores:hash", Map.of("a", "1"));
        String pageSize = "scan.member-page-size";
        for (String pushdown : new String[] {"true", "false"}) {
            String suffix = pushdown.equals("true") ? "" : "_scanned";
            tEnv.executeSql(
                    "CREATE TABLE tags"
                            + suffix
                            + " (id STRING, `member` STRING,"
                            + " k STRING METADATA FROM 'key' VIRTUAL,"
                            + " PRIMARY KEY (id, `member`) NOT ENFORCED) WITH ("
                            + with(
                                    "data-type",
                                    "set",
                                    "key.prefix",
                                    "tags:",
                                    pageSize,
                                    "500",
                                    "scan.filter-push-down.enabled",
                                    pushdown)
                            + ")");
            tEnv.executeSql(
                    "CREATE TABLE events"
                            + suffix
                            + " (id STRING, idx BIGINT, `element` STRING,"
                            + " PRIMARY KEY (id, idx) NOT ENFORCED) WITH ("
                            + with(
                                    "data-type",
                                    "list",
                                    "key.prefix",
                                    "events:",
                                    "index.column",
                                    "idx",
                                    pageSize,
                                    "500",
                                    "scan.filter-push-down.enabled",
                                    pushdown)
                            + ")");
            tEnv.executeSql(
                    "CREATE TABLE scores"
                            + suffix
                            + " (id STRING, `member` STRING, score DOUBLE, r BIGINT,"
                            + " PRIMARY KEY (id, `member`) NOT ENFORCED) WITH ("
                            + with(
                                    "data-type",
                                    "zset",
                                    "key.prefix",
                                    "scores:",
                                    "rank.column",
                                    "r",
                                    pageSize,
                                    "500",
                                    "scan.filter-push-down.enabled",
                                    pushdown)
                            + ")");
        }
        client.resetStats();
    }

    private static List<String> members(int n, int key) {
        List<String> out = new ArrayList<>();
        for (int j = 0; j < n; j++) {
            out.add("v" + key + "-" + j);
        }
        return out;
    }

    @Test
    void setsYieldOneRowPerMember() throws Exception {
        List<Row> rows = query("SELECT id, `member`, k FROM tags");

        Set<Row> expected = new HashSet<>();
        for (int i = 0; i < KEYS; i++) {
            for (String m : members(i % 7 + 1, i)) {
                expected.add(Row.of(Integer.toString(i), m, "tags:" + i));
            }
        }
        for (int i = 0; i < LARGE; i++) {
            expected.add(Row.of("big", "t" + i, "tags:big"));
        }
        assertThat(rows).hasSize(expected.size());
        assertThat(new HashSet<>(rows)).isEqualTo(expected);
        assertThat(client.calls("sscan")).isGreaterThanOrEqualTo(KEYS + LARGE / 500);
        assertThat(client.calls("smembers")).isZero();
    }

    @Test
    void listsYieldEachElementWithItsIndex() throws Exception {
        List<Row> rows = query("SELECT id, idx, `element` FROM events");

        Set<Row> expected = new HashSet<>();
        for (int i = 0; i < KEYS; i++) {
            List<String> m = members(i % 7 + 1, i);
            for (int j = 0; j < m.size(); j++) {
                expected.add(Row.of(Integer.toString(i), (long) j, m.get(j)));
            }
        }
        for (int i = 0; i < LARGE; i++) {
            expected.add(Row.of("big", (long) i, "e" + i));
        }
        assertThat(rows).hasSize(expected.size());
        assertThat(new HashSet<>(rows)).isEqualTo(expected);
        // one LRANGE per small list; the large one in a first page of 128, then pages of 500
        assertThat(client.calls("lrange")).isEqualTo(KEYS + 1 + (LARGE - 128 + 499) / 500);
    }

    @Test
    void sortedSetsYieldMemberScoreAndRank() throws Exception {
        List<Row> rows = query("SELECT id, `member`, score, r FROM scores");

        Set<Row> expected = new HashSet<>();
        for (int i = 0; i < KEYS; i++) {
            for (int j = 0; j < 7; j++) {
                expected.add(Row.of(Integer.toString(i), "m" + j, j * 10.5, (long) j));
            }
        }
        for (int i = 0; i < LARGE; i++) {
            // equal scores are ordered by member: z10 < z11 < z2 ...
            expected.add(Row.of("big", "z" + i, (double) (i / 2), null));
        }
        assertThat(rows).hasSize(expected.size());
        Set<Row> withoutBigRanks = new HashSet<>();
        long[] bigRanks = new long[LARGE];
        for (Row row : rows) {
            if (row.getField(0).equals("big")) {
                bigRanks[Integer.parseInt(((String) row.getField(1)).substring(1))] =
                        (Long) row.getField(3);
                row = Row.of(row.getField(0), row.getField(1), row.getField(2), null);
            }
            withoutBigRanks.add(row);
        }
        assertThat(withoutBigRanks).isEqualTo(expected);
        // members with equal scores: z(2k) and z(2k+1) hold ranks 2k and 2k+1 in member order
        for (int k = 0; k < LARGE / 2; k++) {
            String a = "z" + 2 * k;
            String b = "z" + (2 * k + 1);
            long first = a.compareTo(b) < 0 ? bigRanks[2 * k] : bigRanks[2 * k + 1];
            assertThat(first).isEqualTo(2L * k);
        }
        assertThat(client.calls("zrange")).isEqualTo(KEYS + 1 + (LARGE - 128 + 499) / 500);
    }

    /** Runs {@code select} on {@code table} with and without pushdown; returns the pushed rows. */
    private List<Row> sameAsScan(String select, String table, String rest) throws Exception {
        List<Row> scanned = query(select + " FROM " + table + "_scanned " + rest);
        client.resetStats();
        List<Row> pushed = query(select + " FROM " + table + " " + rest);
        assertThat(new HashSet<>(pushed)).isEqualTo(new HashSet<>(scanned));
        assertThat(pushed).hasSameSizeAs(scanned);
        return pushed;
    }

    @Test
    void indexFiltersBecomeLrangeBounds() throws Exception {
        List<Row> rows =
                sameAsScan(
                        "SELECT id, idx, `element`",
                        "events",
                        "WHERE idx BETWEEN 2 AND 3 AND id = 'big'");

        assertThat(new HashSet<>(rows))
                .containsExactlyInAnyOrder(Row.of("big", 2L, "e2"), Row.of("big", 3L, "e3"));
        // a point read of one key, one LRANGE of two elements: no SCAN, no further page
        assertThat(client.calls("scan")).isZero();
        assertThat(client.calls("lrange")).isEqualTo(1);

        sameAsScan("SELECT id, idx, `element`", "events", "WHERE idx > 5");
        sameAsScan("SELECT id, idx, `element`", "events", "WHERE idx >= 2490 OR idx = 0");
        assertThat(sameAsScan("SELECT id, idx", "events", "WHERE idx < 0")).isEmpty();
        sameAsScan("SELECT id, idx", "events", "WHERE 3 > idx AND idx <> 1");
    }

    @Test
    void scoreFiltersBecomeZrangeByScoreBounds() throws Exception {
        List<Row> rows =
                sameAsScan(
                        "SELECT id, `member`, score, r",
                        "scores",
                        "WHERE score > 10.5 AND score <= 31.5 AND id = '3'");

        assertThat(rows)
                .containsExactlyInAnyOrder(
                        Row.of("3", "m2", 21.0, 2L), Row.of("3", "m3", 31.5, 3L));
        assertThat(client.calls("scan")).isZero();
        assertThat(client.calls("zrange")).isEqualTo(1);
        assertThat(client.calls("zcount")).isEqualTo(1);

        // the large sorted set: a first BYSCORE page, then pages by rank, ranks from ZCOUNT
        List<Row> big =
                sameAsScan(
                        "SELECT `member`, score, r",
                        "scores",
                        "WHERE id = 'big' AND score >= 100 AND score < 1100");
        assertThat(big).hasSize(2_000);
        for (Row row : big) {
            int i = Integer.parseInt(((String) row.getField(0)).substring(1));
            assertThat(row.getField(1)).isEqualTo((double) (i / 2));
            assertThat((Long) row.getField(2) / 2).isEqualTo(i / 2);
        }
        assertThat(client.calls("zrange")).isEqualTo(1 + (2_000 - 128 + 499) / 500);

        sameAsScan("SELECT id, `member`, score", "scores", "WHERE score = 21");
        sameAsScan("SELECT id, `member`", "scores", "WHERE score BETWEEN 10.5 AND 21");
        assertThat(sameAsScan("SELECT id", "scores", "WHERE score > 5 AND score < 5")).isEmpty();
        sameAsScan("SELECT id, `member`", "scores", "WHERE score < 10 OR `member` = 'm6'");
    }

    @Test
    void limitStopsInsideALargeKey() throws Exception {
        List<Row> rows = query("SELECT `member`, score FROM scores LIMIT 3");

        assertThat(rows).hasSize(3);
        // the first key read holds 3 rows or more, and its ZRANGE asks for 3
        assertThat(client.calls("zrange")).isBetween(1L, 3L);

        List<Row> ranged = query("SELECT id, score FROM scores WHERE score >= 1000 LIMIT 4");
        assertThat(ranged).hasSize(4);
        for (Row row : ranged) {
            assertThat(row.getField(0)).isEqualTo("big");
            assertThat((Double) row.getField(1)).isGreaterThanOrEqualTo(1000.0);
        }
    }

    @Test
    void keyFiltersAndProjectionWork() throws Exception {
        List<Row> rows = sameAsScan("SELECT id, `member`", "tags", "WHERE id IN ('3', '4')");

        assertThat(new HashSet<>(rows))
                .containsExactlyInAnyOrder(
                        Row.of("3", "v3-0"),
                        Row.of("3", "v3-1"),
                        Row.of("3", "v3-2"),
                        Row.of("3", "v3-3"),
                        Row.of("4", "v4-0"),
                        Row.of("4", "v4-1"),
                        Row.of("4", "v4-2"),
                        Row.of("4", "v4-3"),
                        Row.of("4", "v4-4"));
        assertThat(client.calls("scan")).isZero();

        // only the key part: still one row per member
        assertThat(query("SELECT COUNT(*) FROM tags WHERE id = 'big'"))
                .containsExactly(Row.of((long) LARGE));
        assertThat(query("SELECT COUNT(*) FROM tags WHERE id = 'missing'"))
                .containsExactly(Row.of(0L));
        // a point read has no SCAN TYPE filter: SSCAN of a string answers WRONGTYPE, skipped
        assertThat(query("SELECT COUNT(*) FROM tags WHERE id IN ('string', '1')"))
                .containsExactly(Row.of(2L));
    }

    @Test
    void aMemberThatDoesNotParseFailsNamingKeyMemberAndType() {
        client.sync().sadd("nums:1", "1", "2", "three");
        tEnv.executeSql(
                "CREATE TABLE nums (id INT, `member` INT, PRIMARY KEY (id, `member`) NOT ENFORCED)"
                        + " WITH ("
                        + with("data-type", "set", "key.prefix", "nums:")
                        + ")");

        Throwable t = catchThrowable(() -> query("SELECT * FROM nums"));

        assertThat(ExceptionUtils.stringifyException(t)).contains("nums:1", "three", "INT");
    }

    @Test
    void badSchemasAreRejectedNamingTheColumnsAndOptions() {
        assertRejected(
                "(`member` STRING) WITH (" + with("data-type", "zset") + ")",
                "needs a column for the score",
                "'score'",
                "'score.column'");
        assertRejected(
                "(`member` STRING, score INT) WITH (" + with("data-type", "zset") + ")",
                "Column 'score'",
                "must be DOUBLE");
        assertRejected(
                "(id STRING, `member` STRING, other STRING, PRIMARY KEY (id, `member`) NOT ENFORCED)"
                        + " WITH ("
                        + with("data-type", "set")
                        + ")",
                "Column 'other'",
                "'member' (member)",
                "member.column");
        assertRejected(
                "(id STRING, `member` STRING, PRIMARY KEY (id) NOT ENFORCED) WITH ("
                        + with("data-type", "set")
                        + ")",
                "must include column 'member'");
        assertRejected(
                "(id STRING, `element` STRING, PRIMARY KEY (id) NOT ENFORCED) WITH ("
                        + with("data-type", "list")
                        + ")",
                "must include column 'index'");
        assertRejected(
                "(`element` STRING, `index` INT) WITH (" + with("data-type", "list") + ")",
                "must be BIGINT");
        assertRejected(
                "(id STRING, v STRING) WITH ("
                        + with("data-type", "hash", "member.column", "v")
                        + ")",
                "Option 'member.column' applies to the data types [set, zset] only, not 'hash'");
        assertRejected(
                "(id STRING, `member` STRING) WITH ("
                        + with("data-type", "set", "score.column", "member")
                        + ")",
                "'score.column' does not apply to data type 'set'");
    }

    private void assertRejected(String tableBody, String... messageParts) {
        tEnv.executeSql("DROP TABLE IF EXISTS bad");
        tEnv.executeSql("CREATE TABLE bad " + tableBody);
        Throwable t = catchThrowable(() -> query("SELECT * FROM bad"));
        assertThat(ExceptionUtils.stringifyException(t)).contains(messageParts);
    }
}
