package io.github.flinkredis.connector.table;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flinkredis.connector.RedisITCaseBase;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Filters on the key become point reads: no SCAN runs (INFO commandstats), and the rows equal those
 * of the same query with the pushdown disabled.
 */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"standalone", "cluster"})
class RedisKeyFilterPushDownITCase extends RedisITCaseBase {

    @Parameter String deployment;

    @Override
    protected String deployment() {
        return deployment;
    }

    private static final int USERS = 1_000;

    @BeforeEach
    void load() {
        client.loadHashes(USERS, i -> "user:" + i, i -> Map.of("name", "name-" + i));
        client.loadHashes(
                20, i -> "order:" + (i / 10) + ":" + (i % 10), i -> Map.of("item", "item-" + i));
        client.loadStrings(50, i -> "price:" + i, i -> Integer.toString(i));
        String users =
                "(id BIGINT, name STRING, k STRING METADATA FROM 'key' VIRTUAL,"
                        + " PRIMARY KEY (id) NOT ENFORCED)";
        tEnv.executeSql(
                "CREATE TABLE users " + users + " WITH (" + with("key.prefix", "user:") + ")");
        tEnv.executeSql(
                "CREATE TABLE users_scanned "
                        + users
                        + " WITH ("
                        + with("key.prefix", "user:", "scan.filter-push-down.enabled", "false")
                        + ")");
        tEnv.executeSql(
                "CREATE TABLE orders (user_id INT, line INT, item STRING,"
                        + " PRIMARY KEY (user_id, line) NOT ENFORCED) WITH ("
                        + with("key.prefix", "order:")
                        + ")");
        tEnv.executeSql(
                "CREATE TABLE prices (sku INT, price INT, PRIMARY KEY (sku) NOT ENFORCED) WITH ("
                        + with("data-type", "string", "key.prefix", "price:")
                        + ")");
        client.resetStats();
    }

    /** Runs {@code where} on users with and without pushdown; returns the pushed-down rows. */
    private List<Row> sameAsScan(String where) throws Exception {
        List<Row> scanned = query("SELECT id, name, k FROM users_scanned WHERE " + where);
        client.resetStats();
        List<Row> pushed = query("SELECT id, name, k FROM users WHERE " + where);
        assertThat(new HashSet<>(pushed)).isEqualTo(new HashSet<>(scanned));
        assertThat(pushed).hasSameSizeAs(scanned);
        return pushed;
    }

    @Test
    void primaryKeyEqualityIsOnePointRead() throws Exception {
        List<Row> rows = sameAsScan("id = 42");

        assertThat(rows).containsExactly(Row.of(42L, "name-42", "user:42"));
        assertThat(client.calls("scan")).isZero();
        assertThat(client.calls("hmget")).isEqualTo(1);
    }

    @Test
    void primaryKeyInReadsTheKeysThatExist() throws Exception {
        List<Row> rows = sameAsScan("id IN (1, 2, 3, 123456)");

        assertThat(rows)
                .containsExactlyInAnyOrder(
                        Row.of(1L, "name-1", "user:1"),
                        Row.of(2L, "name-2", "user:2"),
                        Row.of(3L, "name-3", "user:3"));
        assertThat(client.calls("scan")).isZero();
        assertThat(client.calls("hmget")).isEqualTo(4);
    }

    @Test
    void keyEqualityAndInArePointReads() throws Exception {
        assertThat(sameAsScan("k = 'user:7'")).containsExactly(Row.of(7L, "name-7", "user:7"));
        assertThat(client.calls("scan")).isZero();

        assertThat(sameAsScan("k IN ('user:8', 'order:0:1', 'nope')"))
                .containsExactly(Row.of(8L, "name-8", "user:8"));
        assertThat(client.calls("scan")).isZero();
        // keys outside the table's prefix are not read at all
        assertThat(client.calls("hmget")).isEqualTo(1);
    }

    @Test
    void keyOnlyPointReadsYieldOnlyKeysThatExistWithTheTableType() throws Exception {
        // user:1 and user:2 are hashes, user:99999 does not exist, price:1 is a string
        List<Row> rows =
                query(
                        "SELECT k FROM users WHERE k IN ('user:1', 'user:2', 'user:99999', 'price:1')");
        List<Row> prices = query("SELECT sku FROM prices WHERE sku IN (1, 2, 99999)");

        assertThat(rows).containsExactlyInAnyOrder(Row.of("user:1"), Row.of("user:2"));
        assertThat(prices).containsExactlyInAnyOrder(Row.of(1), Row.of(2));
        assertThat(client.calls("scan")).isZero();
        // nothing but the keys is read: TYPE tells which exist with the table's type
        assertThat(client.calls("type")).isEqualTo(6);
        assertThat(client.calls("hmget")).isZero();
        assertThat(client.calls("mget")).isZero();
    }

    @Test
    void keyAndPrimaryKeyFiltersIntersect() throws Exception {
        assertThat(sameAsScan("id = 5 AND k = 'user:6'")).isEmpty();
        assertThat(client.calls("scan")).isZero();
        assertThat(client.calls("hmget")).isZero();
    }

    @Test
    void otherFiltersScan() throws Exception {
        List<Row> rows = sameAsScan("id > 995 OR name = 'name-3'");

        assertThat(rows).hasSize(5);
        assertThat(client.calls("scan")).isPositive();
    }

    @Test
    void everyColumnOfACompositePrimaryKeyMakesTheKeys() throws Exception {
        List<Row> rows =
                query(
                        "SELECT user_id, line, item FROM orders WHERE user_id = 1 AND line IN (2, 3)");

        assertThat(rows)
                .containsExactlyInAnyOrder(Row.of(1, 2, "item-12"), Row.of(1, 3, "item-13"));
        assertThat(client.calls("scan")).isZero();
        assertThat(client.calls("hmget")).isEqualTo(2);

        // only part of the primary key: a scan
        assertThat(query("SELECT line FROM orders WHERE user_id = 1")).hasSize(10);
        assertThat(client.calls("scan")).isPositive();
    }

    @Test
    void stringPointReadsUseMget() throws Exception {
        List<Row> rows = query("SELECT sku, price FROM prices WHERE sku IN (4, 5, 77)");

        assertThat(rows).containsExactlyInAnyOrder(Row.of(4, 4), Row.of(5, 5));
        assertThat(client.calls("scan")).isZero();
        assertThat(client.calls("mget") + client.calls("get")).isBetween(1L, 3L);
    }

    @Test
    void keyLikeAPrefixNarrowsTheScan() throws Exception {
        List<Row> rows = sameAsScan("k LIKE 'user:99%'");

        assertThat(rows).hasSize(11); // user:99 and user:990 .. user:999
        assertThat(client.calls("scan")).isPositive();
        // only the keys SCAN MATCH user:99* found were read
        assertThat(client.calls("hmget")).isEqualTo(11);
    }

    @Test
    void likeOnTheFirstPrimaryKeyColumnAndGlobCharactersAreEscaped() throws Exception {
        client.hset("g:a*1", Map.of("v", "1"));
        client.hset("g:a*2", Map.of("v", "2"));
        client.hset("g:ab", Map.of("v", "3"));
        client.hset("g:a?", Map.of("v", "4"));
        tEnv.executeSql(
                "CREATE TABLE glob (name STRING, v STRING, PRIMARY KEY (name) NOT ENFORCED) WITH ("
                        + with("key.prefix", "g:")
                        + ")");
        client.resetStats();

        List<Row> rows = query("SELECT name, v FROM glob WHERE name LIKE 'a*%'");

        assertThat(rows).containsExactlyInAnyOrder(Row.of("a*1", "1"), Row.of("a*2", "2"));
        // SCAN MATCH g:a\** matched the two keys only: an unescaped g:a** would match four
        assertThat(client.calls("hmget")).isEqualTo(2);
    }

    @Test
    void prefixesNoKeyCanHaveReadNothing() throws Exception {
        assertThat(sameAsScan("k LIKE 'order:%'")).isEmpty();
        assertThat(client.calls("scan")).isZero();
        assertThat(client.calls("hmget")).isZero();
    }
}
