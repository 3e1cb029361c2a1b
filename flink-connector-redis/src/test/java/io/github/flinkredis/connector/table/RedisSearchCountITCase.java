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
                    + " stag STRING, big INT, huge BIGINT, small SMALLINT, tiny TINYINT,"
                    + " price DOUBLE, PRIMARY KEY (id) NOT ENFORCED) WITH (%s)";

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

    /**
     * Item {@code i}'s fields; some have no {@code cat}, no {@code label}, no {@code code} or no
     * {@code price}. The sums of {@code big}, {@code huge}, {@code small} and {@code tiny} per
     * category go past their types' ranges.
     */
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
        fields.put("big", Integer.toString(2_000_000_000 - 7 * (i % 50)));
        fields.put("huge", Long.toString(Long.MAX_VALUE / 3 - (i % 40)));
        fields.put("small", Integer.toString(30_000 - (i % 30)));
        fields.put("tiny", Integer.toString(i % 2 == 0 ? 120 - i % 20 : -100 - i % 20));
        if (i % 11 != 0) {
            fields.put("price", Double.toString((i % 13) * 0.1));
        }
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

    /** The items table, its aggregates pushed {@code by-value} where {@code searchIndex} allows. */
    private void createItems(String searchIndex) {
        createItems(searchIndex, "by-value");
    }

    private void createItems(String searchIndex, String aggregatePushdown) {
        createItems(searchIndex, aggregatePushdown, "fail");
    }

    private void createItems(String searchIndex, String aggregatePushdown, String parseErrors) {
        tEnv.executeSql("DROP TABLE IF EXISTS items");
        tEnv.executeSql(
                String.format(
                        ITEMS_TABLE,
                        with(
                                "key.prefix",
                                "item:",
                                "search.index",
                                searchIndex,
                                "search.aggregate-pushdown",
                                aggregatePushdown,
                                "scan.parse-error.policy",
                                parseErrors)));
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
        "SELECT cat, COUNT(*) AS n FROM items GROUP BY cat HAVING COUNT(*) > 60",
        // aggregates of fields that are no NUMERIC, GEO or SORTABLE attribute: the count also
        // groups by them, and each group's partial result follows from its value and count
        "SELECT cat, COUNT(label) FROM items GROUP BY cat",
        "SELECT cat, SUM(code), MIN(code), MAX(code), COUNT(code) FROM items GROUP BY cat",
        "SELECT COUNT(*), COUNT(price), MIN(label), MAX(cat), MIN(price), MAX(price) FROM items",
        "SELECT cat, SUM(big), SUM(huge), SUM(small), SUM(tiny) FROM items GROUP BY cat",
        "SELECT SUM(big), SUM(huge), SUM(small), SUM(tiny), SUM(code) FROM items",
        "SELECT label, cat, MIN(cat), COUNT(*) FROM items GROUP BY label, cat",
        "SELECT label, SUM(code) AS s FROM items GROUP BY label HAVING SUM(code) > 100",
        "SELECT cat, AVG(code), AVG(big) FROM items GROUP BY cat"
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

    /**
     * Sums that go past their types' ranges (wrapping around as Flink's do), a count of a column, a
     * minimum of strings and a maximum of doubles per category equal those computed here from the
     * data written.
     */
    @Test
    void theSumsAndExtremesByCategoryAreThoseOfTheDataWritten() throws Exception {
        Map<String, List<Object>> expected =
                new TreeMap<>(Comparator.nullsFirst(Comparator.naturalOrder()));
        for (int i = 0; i < ITEMS; i++) {
            Map<String, String> item = item(i);
            List<Object> acc =
                    expected.computeIfAbsent(
                            item.get("cat"), c -> new ArrayList<>(List.of(0, 0L, 0L)));
            acc.set(0, (Integer) acc.get(0) + Integer.parseInt(item.get("big")));
            acc.set(1, (Long) acc.get(1) + Long.parseLong(item.get("huge")));
            acc.set(2, (Long) acc.get(2) + (item.containsKey("code") ? 1 : 0));
            String label = item.get("label");
            if (acc.size() < 4) {
                acc.add(label);
            } else if (label != null
                    && (acc.get(3) == null || label.compareTo((String) acc.get(3)) < 0)) {
                acc.set(3, label);
            }
            Double price = item.containsKey("price") ? Double.valueOf(item.get("price")) : null;
            if (acc.size() < 5) {
                acc.add(price);
            } else if (price != null && (acc.get(4) == null || price > (Double) acc.get(4))) {
                acc.set(4, price);
            }
        }
        String sql =
                "SELECT cat, SUM(big), SUM(huge), COUNT(code), MIN(label), MAX(price) FROM items"
                        + " GROUP BY cat";
        createItems("items");
        client.resetStats();
        Map<String, List<Object>> rows =
                new TreeMap<>(Comparator.nullsFirst(Comparator.naturalOrder()));
        for (Row row : query(sql)) {
            List<Object> values = new ArrayList<>();
            for (int f = 1; f < row.getArity(); f++) {
                values.add(row.getField(f));
            }
            rows.put((String) row.getField(0), values);
        }

        assertThat(rows).isEqualTo(expected);
        assertThat(client.calls("FT.AGGREGATE")).isEqualTo(1);
        assertThat(client.calls("hmget")).isZero();
        assertThat(tEnv.explainSql(sql))
                .contains(
                        "aggregates=[grouping=[cat], aggFunctions=[IntSumAggFunction(big),"
                                + "LongSumAggFunction(huge),CountAggFunction(code),"
                                + "StringMinAggFunction(label),DoubleMaxAggFunction(price)]]");
        // the sums went past the ranges of INT and BIGINT
        long bigTotal = 0;
        for (int i = 0; i < ITEMS; i++) {
            bigTotal += Long.parseLong(item(i).get("big"));
        }
        assertThat(bigTotal).isGreaterThan(Integer.MAX_VALUE);
    }

    /**
     * {@code search.aggregate-pushdown}: {@code count} (the default) pushes {@code COUNT(*)} only,
     * grouped by the query's GROUP BY; {@code none} nothing. The rows stay the same.
     */
    @Test
    void theOptionChoosesWhichAggregatesArePushed() throws Exception {
        String count = "SELECT cat, COUNT(*) FROM items GROUP BY cat";
        String byValue = "SELECT cat, COUNT(*), MIN(code) FROM items GROUP BY cat";
        List<Row> counts = counted(count);
        List<Row> minima = counted(byValue);
        tEnv.executeSql("DROP TABLE IF EXISTS items");
        tEnv.executeSql(String.format(ITEMS_TABLE, with("key.prefix", "item:")));
        assertThat(tEnv.explainSql(count)).contains("aggregates=[");
        assertThat(tEnv.explainSql(byValue)).doesNotContain("aggregates=[");
        assertThat(sorted(query(count))).isEqualTo(counts);
        assertThat(sorted(query(byValue))).isEqualTo(minima);

        createItems("auto", "none");
        assertThat(tEnv.explainSql(count)).doesNotContain("aggregates=[");
        assertThat(sorted(query(count))).isEqualTo(counts);
        createItems("auto", "by-value");
        assertThat(tEnv.explainSql(byValue)).contains("aggregates=[");
    }

    /** Aggregates RediSearch does not count exactly, or that Flink does not push. */
    private static final String[] NOT_PUSHED = {
        // a NUMERIC attribute is grouped by its parsed number, a SORTABLE one lower-cased
        "SELECT qty, COUNT(*) FROM items GROUP BY qty",
        "SELECT stag, COUNT(*) FROM items GROUP BY stag",
        // aggregates of a NUMERIC attribute, which the index loads as its parsed number
        "SELECT cat, SUM(qty), MIN(qty), MAX(qty) FROM items GROUP BY cat",
        "SELECT cat, COUNT(qty) FROM items GROUP BY cat",
        "SELECT cat, AVG(qty) FROM items GROUP BY cat",
        // a sum of doubles is no product of a value and a count
        "SELECT cat, SUM(price) FROM items GROUP BY cat",
        "SELECT cat, AVG(price) FROM items GROUP BY cat",
        "SELECT COUNT(DISTINCT cat) FROM items",
        "SELECT cat, COUNT(DISTINCT code) FROM items GROUP BY cat",
        "SELECT cat, MAX(id), COUNT(id) FROM items GROUP BY cat",
        "SELECT cat, COUNT(*) FILTER (WHERE code > 2) FROM items GROUP BY cat",
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

        String sum = "SELECT cat, SUM(code) FROM items GROUP BY cat";
        Throwable summed = catchThrowable(() -> query(sum));
        assertThat(ExceptionUtils.stringifyException(summed))
                .contains(
                        "Cannot read field 'code'",
                        "as INT: value 'seven'",
                        "GROUPBY 2 @cat @code");
    }

    /**
     * With {@code scan.parse-error.policy} = {@code skip-row}, a hash whose value the column cannot
     * read is left out of every aggregate, as its row is left out of a scan.
     */
    @Test
    void aValueTheColumnCannotReadIsSkippedAsTheScanSkipsItsRow() throws Exception {
        client.command("HSET", "item:7777", "cat", "A", "code", "seven", "big", "5");
        client.command("HSET", "item:7778", "cat", "A", "code", "7", "big", "many");
        String sql = "SELECT cat, COUNT(*), SUM(code), MAX(big) FROM items GROUP BY cat";
        List<Row> expected = null;
        for (String searchIndex : List.of("none", "auto")) {
            createItems(searchIndex, "by-value", "skip-row");
            client.resetStats();
            List<Row> rows = sorted(query(sql));
            if (expected == null) {
                expected = rows;
            } else {
                assertThat(rows).isEqualTo(expected);
                assertThat(client.calls("FT.AGGREGATE")).isEqualTo(1);
            }
        }
        assertThat(expected).anyMatch(r -> "A".equals(r.getField(0)));
    }
}
