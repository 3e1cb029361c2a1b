package io.github.flinkredis.connector.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.flinkredis.connector.RedisStackITCaseBase;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bounded scans of hash and JSON tables whose filters select the keys through a RediSearch index
 * ({@code search.index}): every query's rows equal the same query's with {@code 'search.index' =
 * 'none'} (SCAN, filters in Flink), the commands sent show that no SCAN ran and that only the keys
 * the index selects were read, and an index that cannot serve the table is named. Needs RediSearch
 * ({@code REDIS_STACK_URL}, or module files in {@code REDIS_MODULES}); the cluster runs need {@code
 * REDIS_MODULES}. On an OSS cluster RediSearch keeps an index on the shard owning its name's slot,
 * indexing that shard's keys only: the cluster runs check that such a table is read with SCAN and
 * gives the same rows.
 */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"standalone", "cluster"})
class RedisSearchScanITCase extends RedisStackITCaseBase {

    @Parameter String deployment;

    @Override
    protected String deployment() {
        return deployment;
    }

    private static final int USERS = 400;

    /** TAG values, with every character a query must escape, and a value holding the separator. */
    private static final String[] CITIES = {
        "Paris",
        "paris",
        "New York",
        "a,b",
        "Lyon",
        "x{y}|z",
        "a.b<c>\"d'e:f;g!h@i#j",
        "$k%l^m&n*o(p)q-r+s=t~u",
        "tail "
    };

    private static final String USERS_TABLE =
            "CREATE TABLE users (id INT, age BIGINT, score DOUBLE, city STRING, name STRING,"
                    + " PRIMARY KEY (id) NOT ENFORCED) WITH (%s)";

    @BeforeEach
    void loadUsers() {
        assumeCommand("FT.INFO", "RediSearch");
        // created before the keys: each is indexed as it is written, none by a background scan
        createIndex(
                "users", "ON", "HASH", "PREFIX", "1", "u", "SCHEMA", "age", "NUMERIC", "score",
                "NUMERIC", "city", "TAG", "name", "TEXT");
        client.loadHashes(
                USERS,
                i -> "user:" + i,
                i -> {
                    Map<String, String> fields = new HashMap<>();
                    if (i % 7 != 0) {
                        fields.put("age", Integer.toString(i % 50));
                    }
                    if (i % 11 != 0) {
                        fields.put("score", Double.toString((i % 10) * 0.5));
                    }
                    if (i % 13 != 0) {
                        fields.put("city", CITIES[i % CITIES.length]);
                    }
                    fields.put("name", "user " + i);
                    return fields;
                });
        // keys of another table the index also covers (its prefix is wider than the table's)
        client.loadHashes(50, i -> "u:" + i, i -> Map.of("age", "1", "city", "Paris"));
    }

    @AfterEach
    void dropIndexes() {
        if (client != null) {
            for (String index : List.of("users", "docs")) {
                try {
                    client.command("FT.DROPINDEX", index);
                } catch (RuntimeException absent) {
                    // not created by this test
                }
            }
        }
    }

    private void createUsers(String searchIndex) {
        tEnv.executeSql("DROP TABLE IF EXISTS users");
        tEnv.executeSql(
                String.format(
                        USERS_TABLE,
                        with(
                                "data-type",
                                "hash",
                                "key.prefix",
                                "user:",
                                "search.index",
                                searchIndex)));
    }

    private List<Row> sorted(List<Row> rows) {
        List<Row> out = new ArrayList<>(rows);
        out.sort(Comparator.comparing(Row::toString));
        return out;
    }

    /** The rows of {@code sql} read with SCAN and Flink's filters: the independent answer. */
    private List<Row> withScan(String sql) throws Exception {
        createUsers("none");
        return sorted(query(sql));
    }

    private static final String[] PUSHED = {
        "age = 7",
        "age <> 7",
        "age < 10",
        "age <= 10",
        "age > 45",
        "age >= 45",
        "age BETWEEN 10 AND 12",
        "age IN (1, 2, 3)",
        "score > 2.5",
        "score = 4.5",
        "city = 'Paris'",
        "city = 'x{y}|z'",
        "city = 'a.b<c>\"d''e:f;g!h@i#j'",
        "city = '$k%l^m&n*o(p)q-r+s=t~u'",
        "city = 'New York'",
        "city IN ('Lyon', 'New York')",
        "age < 10 AND city = 'Lyon'",
        "age < 5 OR score = 4.5",
        "age IS NOT NULL AND score < 1",
        "(age < 5 OR age > 45) AND score >= 1.0",
        "city = 'a,b' AND age < 20"
    };

    @Test
    void eachPushedFilterGivesTheRowsOfAScanWithoutReadingOtherKeys() throws Exception {
        for (String where : PUSHED) {
            String sql = "SELECT id, age, score, city, name FROM users WHERE " + where;
            List<Row> expected = withScan(sql);

            createUsers("auto");
            client.resetStats();
            List<Row> rows = sorted(query(sql));

            assertThat(rows).as(where).isEqualTo(expected);
            if (isCluster()) {
                assertReadWithScan(where);
                continue;
            }
            assertThat(client.calls("FT.AGGREGATE")).as(where).isPositive();
            assertThat(client.calls("scan")).as(where).isZero();
            if (!where.contains("city")) {
                // NUMERIC ranges select exactly the matching keys: one HMGET per row
                assertThat(client.calls("hmget")).as(where).isEqualTo(rows.size());
            }
        }
    }

    /** Runs {@code sql}: through the index standalone, with SCAN on a cluster. */
    private void assertPushedIntoSearch(String sql, String what) throws Exception {
        client.resetStats();
        query(sql);
        if (isCluster()) {
            assertReadWithScan(what);
        } else {
            assertThat(client.calls("FT.AGGREGATE")).as(what).isPositive();
            assertThat(client.calls("scan")).as(what).isZero();
        }
    }

    private void assertReadWithScan(String what) {
        assertThat(client.calls("FT.AGGREGATE")).as(what).isZero();
        assertThat(client.calls("scan")).as(what).isPositive();
    }

    @Test
    void aQuerySelectingEveryKeyOfTheTableGivesTheScansRows() throws Exception {
        String sql = "SELECT id, age, city FROM users WHERE age >= 0 OR age < 0";
        List<Row> expected = withScan(sql);
        createUsers(isCluster() ? "auto" : "users");

        client.resetStats();
        assertThat(sorted(query(sql))).isEqualTo(expected).hasSize(USERS - USERS / 7 - 1);
        if (!isCluster()) {
            // Flink made it age IS NOT NULL: every key with the field, one HMGET each
            assertThat(client.calls("FT.AGGREGATE")).isPositive();
            assertThat(client.calls("hmget")).isEqualTo(USERS - USERS / 7 - 1);
        }
    }

    @Test
    void filtersThatDoNotTranslateAreReadWithScan() throws Exception {
        for (String where :
                List.of("city = 'a,b'", "name = 'user 3'", "city = 'tail '", "city LIKE 'P%'")) {
            String sql = "SELECT id FROM users WHERE " + where;
            List<Row> expected = withScan(sql);
            createUsers("auto");
            client.resetStats();
            assertThat(sorted(query(sql))).as(where).isEqualTo(expected);
            assertReadWithScan(where);
        }
    }

    @Test
    void aTableNoIndexCoversIsReadWithScan() throws Exception {
        client.loadHashes(20, i -> "order:" + i, i -> Map.of("total", Integer.toString(i)));
        tEnv.executeSql(
                "CREATE TABLE orders (id INT, total BIGINT, PRIMARY KEY (id) NOT ENFORCED) WITH ("
                        + with("data-type", "hash", "key.prefix", "order:")
                        + ")");
        String sql = "SELECT id FROM orders WHERE total < 5";

        client.resetStats();
        assertThat(sorted(query(sql)))
                .containsExactly(Row.of(0), Row.of(1), Row.of(2), Row.of(3), Row.of(4));
        assertReadWithScan(sql);
    }

    @Test
    void aNamedIndexThatDoesNotExistOrServeTheTableFailsThePlanningNamingIt() {
        createUsers("nope");
        assertThatThrownBy(() -> tEnv.explainSql("SELECT id FROM users WHERE age < 3"))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("Option 'search.index' = 'nope'")
                .hasMessageContaining("Set it to 'none' to read the table with SCAN.")
                .hasMessageContaining(
                        isCluster()
                                ? "index 'nope' is not on Redis node"
                                : "index 'nope' does not exist on Redis node");

        createIndex("docs", "ON", "HASH", "PREFIX", "1", "doc:", "SCHEMA", "age", "NUMERIC");
        createUsers("docs");
        assertThatThrownBy(() -> tEnv.explainSql("SELECT id FROM users WHERE age < 3"))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining(
                        isCluster()
                                ? "RediSearch without the search coordinator keeps an index on the"
                                        + " one shard"
                                : "index 'docs' covers the key prefixes [doc:], not the table's"
                                        + " 'user:'");
    }

    @Test
    void jsonDocumentsAreSelectedByTheirMembersAndNestedPaths() throws Exception {
        createIndex(
                "docs",
                "ON",
                "JSON",
                "PREFIX",
                "1",
                "doc:",
                "SCHEMA",
                "$.age",
                "AS",
                "age",
                "NUMERIC",
                "$.city",
                "AS",
                "city",
                "TAG",
                "$.profile.level",
                "AS",
                "level",
                "NUMERIC");
        for (int i = 0; i < 120; i++) {
            client.jsonSet(
                    "doc:" + i,
                    String.format(
                            "{\"age\":%d,\"city\":\"%s\",\"profile\":{\"level\":%d,\"nick\":\"n%d\"}}",
                            i % 30, CITIES[i % 3], i % 5, i));
        }
        String docs =
                "CREATE TABLE %s (id INT, age INT, city STRING, PRIMARY KEY (id) NOT ENFORCED)"
                        + " WITH (%s)";
        String profiles =
                "CREATE TABLE %s (id INT, level INT, nick STRING, PRIMARY KEY (id) NOT ENFORCED)"
                        + " WITH (%s)";
        for (String index : List.of("none", "auto")) {
            String[] base = {"data-type", "json", "key.prefix", "doc:", "search.index", index};
            tEnv.executeSql(String.format(docs, "docs_" + index, with(base)));
            tEnv.executeSql(
                    String.format(
                            profiles,
                            "profiles_" + index,
                            with(concat(base, "json.path", "$.profile"))));
        }
        String byMembers = "SELECT id, age, city FROM docs_%s WHERE age < 4 AND city = 'Paris'";
        String byNestedPath = "SELECT id, level, nick FROM profiles_%s WHERE level = 3";

        assertPushedIntoSearch(String.format(byMembers, "auto"), byMembers);
        assertPushedIntoSearch(String.format(byNestedPath, "auto"), byNestedPath);
        List<Row> members = sorted(query(String.format(byMembers, "auto")));
        List<Row> nested = sorted(query(String.format(byNestedPath, "auto")));

        assertThat(members).isEqualTo(sorted(query(String.format(byMembers, "none")))).isNotEmpty();
        assertThat(nested)
                .isEqualTo(sorted(query(String.format(byNestedPath, "none"))))
                .hasSize(24);
    }
}
