package io.github.flinkredis.connector.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.flinkredis.connector.RedisStackITCaseBase;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.types.Row;
import org.apache.flink.util.ExceptionUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code COUNT(*)} pushed into RediSearch ({@code FT.AGGREGATE ... GROUPBY ... REDUCE COUNT}, batch
 * mode): every pushed query's rows equal the same query's with {@code 'search.index' = 'none'} (a
 * scan, Flink counting), and one equals counts computed here from the data written; the commands
 * show that no key was scanned or read. Queries whose count RediSearch cannot give exactly are
 * counted by Flink, with the same rows. Needs RediSearch ({@code REDIS_STACK_URL}, or module files
 * in {@code REDIS_MODULES}).
 */
class RedisSearchCountITCase extends RedisStackITCaseBase {

    private static final int ITEMS = 600;

    /** TAG values differing in case only, empty, holding the separator, with spaces. */
    private static final String[] CATEGORIES = {"A", "a", "", "x,y", "B b", "b B", "Lyon"};

    private static final String ITEMS_TABLE =
            "CREATE TABLE items (id INT, cat STRING, label STRING, code INT, qty BIGINT,"
                    + " stag STRING, PRIMARY KEY (id) NOT ENFORCED) WITH (%s)";

    @BeforeEach
    void loadItems() {
        assumeCommand("FT.INFO", "RediSearch");
        createIndex(
                "items",
                "ON",
                "HASH",
                "PREFIX",
                "1",
                "item:",
                "SCHEMA",
                "cat",
                "TAG",
                "label",
                "TEXT",
                "qty",
                "NUMERIC",
                "stag",
                "TAG",
                "SORTABLE");
        client.loadHashes(ITEMS, i -> "item:" + i, RedisSearchCountITCase::item);
    }

    /** Item {@code i}'s fields; some have no {@code cat}, no {@code label} or no {@code code}. */
    private static Map<String, String> item(int i) {
        Map<String, String> fields = new HashMap<>();
        if (i % 9 != 0) {
            fields.put("cat", CATEGORIES[i % CATEGORIES.length]);
        }
        if (i % 4 != 0) {
            fields.put("label", i % 8 == 1 ? "Hello World" : "hello world");
        }
        if (i % 5 != 0) {
            // the same INT spelled two ways: RediSearch groups them apart, Flink adds them up
            fields.put("code", (i % 3 == 0 ? "0" : "") + (i % 6));
        }
        fields.put("qty", Integer.toString(i % 10));
        fields.put("stag", i % 2 == 0 ? "Up" : "up");
        return fields;
    }

    @AfterEach
    void dropIndexes() {
        if (client != null) {
            for (String index : List.of("items", "wide")) {
                try {
                    client.command("FT.DROPINDEX", index);
                } catch (RuntimeException absent) {
                    // not created by this test
                }
            }
        }
    }

    private void createItems(String searchIndex) {
        tEnv.executeSql("DROP TABLE IF EXISTS items");
        tEnv.executeSql(
                String.format(
                        ITEMS_TABLE, with("key.prefix", "item:", "search.index", searchIndex)));
    }

    private static List<Row> sorted(List<Row> rows) {
        List<Row> out = new ArrayList<>(rows);
        out.sort(Comparator.comparing(Row::toString));
        return out;
    }

    /** The rows of {@code sql} read with a scan and counted by Flink. */
    private List<Row> counted(String sql) throws Exception {
        createItems("none");
        return sorted(query(sql));
    }

    private static final String[] PUSHED = {
        "SELECT cat, COUNT(*) FROM items GROUP BY cat",
        "SELECT COUNT(*) FROM items",
        "SELECT cat, label, COUNT(*) FROM items GROUP BY cat, label",
        "SELECT label, COUNT(*) AS n FROM items GROUP BY label",
        "SELECT code, COUNT(*) FROM items GROUP BY code",
        "SELECT COUNT(*), cat FROM items GROUP BY cat",
        "SELECT cat, COUNT(*) AS n FROM items GROUP BY cat HAVING COUNT(*) > 60"
    };

    @Test
    void eachPushedCountGivesTheRowsOfFlinksCountWithoutReadingKeys() throws Exception {
        for (String sql : PUSHED) {
            List<Row> expected = counted(sql);

            createItems("auto");
            client.resetStats();
            List<Row> rows = sorted(query(sql));

            assertThat(rows).as(sql).isEqualTo(expected);
            assertThat(client.calls("FT.AGGREGATE")).as(sql).isEqualTo(1);
            assertThat(client.calls("scan")).as(sql).isZero();
            assertThat(client.calls("hmget")).as(sql).isZero();
        }
    }

    @Test
    void theCountsByCategoryAreThoseOfTheDataWritten() throws Exception {
        Map<String, Long> expected =
                new TreeMap<>(Comparator.nullsFirst(Comparator.naturalOrder()));
        for (int i = 0; i < ITEMS; i++) {
            expected.merge(item(i).get("cat"), 1L, Long::sum);
        }
        createItems("items");
        Map<String, Long> counts = new TreeMap<>(Comparator.nullsFirst(Comparator.naturalOrder()));
        for (Row row : query("SELECT cat, COUNT(*) FROM items GROUP BY cat")) {
            counts.put((String) row.getField(0), (Long) row.getField(1));
        }
        assertThat(counts).isEqualTo(expected).containsKey(null).containsKey("");
        assertThat(tEnv.explainSql("SELECT cat, COUNT(*) FROM items GROUP BY cat"))
                .contains("aggregates=[grouping=[cat], aggFunctions=[Count1AggFunction()]]");
    }

    /** Aggregates RediSearch does not count exactly, or that Flink does not push. */
    private static final String[] NOT_PUSHED = {
        // a NUMERIC attribute is grouped by its parsed number, a SORTABLE one lower-cased
        "SELECT qty, COUNT(*) FROM items GROUP BY qty",
        "SELECT stag, COUNT(*) FROM items GROUP BY stag",
        // the aggregates RediSearch computes differently
        "SELECT cat, SUM(qty), MIN(qty), MAX(qty) FROM items GROUP BY cat",
        "SELECT cat, COUNT(label) FROM items GROUP BY cat",
        "SELECT COUNT(DISTINCT cat) FROM items",
        "SELECT cat, AVG(qty) FROM items GROUP BY cat",
        // a filter stays with Flink, which then pushes no aggregate
        "SELECT cat, COUNT(*) FROM items WHERE qty > 5 GROUP BY cat",
        "SELECT id, COUNT(*) FROM items GROUP BY id"
    };

    @Test
    void anAggregateThatIsNotPushedIsCountedByFlink() throws Exception {
        for (String sql : NOT_PUSHED) {
            List<Row> expected = counted(sql);

            createItems("auto");
            assertThat(sorted(query(sql))).as(sql).isEqualTo(expected);
            assertThat(tEnv.explainSql(sql)).as(sql).doesNotContain("aggregates=[");
        }
    }

    /**
     * A table with a DECIMAL column is read by a source without aggregate pushdown: with it, Flink
     * 2.2 fails to plan AVG of the DECIMAL column.
     */
    @Test
    void theAverageOfADecimalColumnIsComputedByFlink() throws Exception {
        tEnv.executeSql(
                "CREATE TABLE priced (id INT, cat STRING, qty DECIMAL(10, 2), PRIMARY KEY (id) NOT"
                        + " ENFORCED) WITH ("
                        + with("key.prefix", "item:")
                        + ")");
        assertThat(query("SELECT AVG(qty), COUNT(*) FROM priced"))
                .containsExactly(Row.of(new java.math.BigDecimal("4.500000"), (long) ITEMS));
    }

    @Test
    void anIndexWithFailuresOrOtherPrefixesIsNotCountedThrough() throws Exception {
        String sql = "SELECT cat, COUNT(*) FROM items GROUP BY cat";
        List<Row> expected = counted(sql);
        // an index of a wider prefix holds keys of other tables
        createIndex("wide", "ON", "HASH", "PREFIX", "1", "item", "SCHEMA", "cat", "TAG");
        client.command("HSET", "itemother:1", "cat", "A");
        tEnv.executeSql("DROP TABLE IF EXISTS items");
        tEnv.executeSql(
                String.format(ITEMS_TABLE, with("key.prefix", "item:", "search.index", "wide")));
        client.resetStats();
        assertThat(sorted(query(sql))).isEqualTo(expected);
        assertThat(client.calls("scan")).isPositive();

        // a hash the index failed to index (a NUMERIC field that is no number) is not counted
        client.command("HSET", "item:9999", "qty", "many", "cat", "A");
        List<Row> withFailure = counted(sql);
        assertThat(withFailure).isNotEqualTo(expected);
        createItems("auto");
        client.resetStats();
        assertThat(sorted(query(sql))).isEqualTo(withFailure);
        assertThat(client.calls("scan")).isPositive();
    }

    @Test
    void aGroupValueTheColumnCannotReadFailsAsTheScanDoes() throws Exception {
        client.command("HSET", "item:7777", "code", "seven");
        createItems("none");
        String sql = "SELECT code, COUNT(*) FROM items GROUP BY code";
        Throwable scanned = catchThrowable(() -> query(sql));
        createItems("auto");
        Throwable pushed = catchThrowable(() -> query(sql));

        assertThat(ExceptionUtils.stringifyException(scanned))
                .contains("Cannot read field 'code'", "as INT: value 'seven'");
        assertThat(ExceptionUtils.stringifyException(pushed))
                .contains("Cannot read field 'code'", "as INT: value 'seven'", "GROUPBY 1 @code");
    }
}
