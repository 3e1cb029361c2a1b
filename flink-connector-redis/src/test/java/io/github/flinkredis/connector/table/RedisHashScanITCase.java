package io.github.flinkredis.connector.table;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flinkredis.connector.RedisITCaseBase;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/** Bounded SQL scans of hashes: exact rows, projection, limit, metadata and keys. */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"standalone", "cluster"})
class RedisHashScanITCase extends RedisITCaseBase {

    @Parameter String deployment;

    @Override
    protected String deployment() {
        return deployment;
    }

    private static final int USERS = 10_000;

    @BeforeEach
    void loadUsers() {
        client.loadHashes(
                USERS,
                i -> "user:" + i,
                i -> {
                    Map<String, String> m = new LinkedHashMap<>();
                    m.put("name", "name-" + i);
                    m.put("age", Integer.toString(i % 90));
                    m.put("city", i % 2 == 0 ? "Paris" : "Oslo");
                    return m;
                });
        // keys of another type and of another prefix are not part of the table
        client.set("user:string", "x");
        client.hset("customer:1", Map.of("name", "other"));
        client.resetStats();
        tEnv.executeSql(
                "CREATE TABLE users (id BIGINT, name STRING, age INT, city STRING,"
                        + " PRIMARY KEY (id) NOT ENFORCED) WITH ("
                        + with("data-type", "hash", "key.prefix", "user:")
                        + ")");
    }

    @Test
    void scansEveryHashExactlyOnce() throws Exception {
        List<Row> rows = query("SELECT id, name, age, city FROM users");

        assertThat(rows).hasSize(USERS);
        Set<Row> expected = new HashSet<>();
        for (long i = 0; i < USERS; i++) {
            expected.add(Row.of(i, "name-" + i, (int) (i % 90), i % 2 == 0 ? "Paris" : "Oslo"));
        }
        assertThat(new HashSet<>(rows)).isEqualTo(expected);
        assertThat(client.calls("hmget")).isEqualTo(USERS);
        assertThat(client.calls("hgetall")).isZero();
    }

    @Test
    void projectionFetchesOnlyTheSelectedFieldsWithHmget() throws Exception {
        // a filter on a field, not on the key: every hash is read
        List<Row> rows = query("SELECT name FROM users WHERE name = 'name-42'");

        assertThat(rows).containsExactly(Row.of("name-42"));
        assertThat(client.calls("hmget")).isEqualTo(USERS);
        assertThat(client.calls("hgetall")).isZero();
        assertThat(client.calls("pttl")).isZero();
    }

    @Test
    void aQueryOfKeysOnlyFetchesNothingPerKey() throws Exception {
        List<Row> rows = query("SELECT COUNT(*), MIN(id), MAX(id) FROM users");

        assertThat(rows).containsExactly(Row.of((long) USERS, 0L, (long) USERS - 1));
        assertThat(client.calls("hmget")).isZero();
        assertThat(client.calls("hgetall")).isZero();
        assertThat(client.calls("scan")).isPositive();
    }

    @Test
    void limitStopsTheScanEarly() throws Exception {
        List<Row> rows = query("SELECT id, name FROM users LIMIT 5");

        assertThat(rows).hasSize(5);
        for (Row row : rows) {
            assertThat(row.getField(1)).isEqualTo("name-" + row.getField(0));
        }
        assertThat(client.calls("hmget")).isEqualTo(5);
        assertThat(client.calls("scan")).isLessThanOrEqualTo(3);
    }

    @Test
    void aggregatesAndFiltersLikeFlink() throws Exception {
        List<Row> rows =
                query(
                        "SELECT city, COUNT(*) AS n, MAX(age) FROM users WHERE age >= 80"
                                + " GROUP BY city");

        long paris = 0;
        long oslo = 0;
        for (int i = 0; i < USERS; i++) {
            if (i % 90 >= 80) {
                if (i % 2 == 0) {
                    paris++;
                } else {
                    oslo++;
                }
            }
        }
        assertThat(rows)
                .containsExactlyInAnyOrder(Row.of("Paris", paris, 88), Row.of("Oslo", oslo, 89));
    }

    @Test
    void readsKeyAndTtlMetadataOnlyWhenSelected() throws Exception {
        client.pexpire("user:1", 600_000);
        tEnv.executeSql(
                "CREATE TABLE users_meta (id BIGINT, name STRING,"
                        + " redis_key STRING METADATA FROM 'key' VIRTUAL,"
                        + " ttl_ms BIGINT METADATA FROM 'ttl' VIRTUAL,"
                        + " PRIMARY KEY (id) NOT ENFORCED) WITH ("
                        + with("key.prefix", "user:")
                        + ")");

        client.resetStats();
        List<Row> keys = query("SELECT redis_key, name FROM users_meta WHERE id IN (1, 2)");
        assertThat(keys)
                .containsExactlyInAnyOrder(Row.of("user:1", "name-1"), Row.of("user:2", "name-2"));
        assertThat(client.calls("pttl")).isZero();

        List<Row> ttls = query("SELECT id, ttl_ms FROM users_meta WHERE id IN (1, 2)");
        Map<Object, Object> ttlById =
                ttls.stream().collect(Collectors.toMap(r -> r.getField(0), r -> r.getField(1)));
        assertThat(ttlById.get(2L)).isEqualTo(-1L);
        assertThat((Long) ttlById.get(1L)).isBetween(1L, 600_000L);
        // the filter on the primary key made this a point read of two keys
        assertThat(client.calls("pttl")).isEqualTo(2);
        assertThat(client.calls("scan")).isZero();
    }

    @Test
    void keyPatternSelectsTheKeysAndTheTableWorksWithoutPrimaryKey() throws Exception {
        tEnv.executeSql(
                "CREATE TABLE some_users (name STRING, k STRING METADATA FROM 'key') WITH ("
                        + with("key.pattern", "user:1?")
                        + ")");

        List<Row> rows = query("SELECT k, name FROM some_users");

        List<Row> expected = new ArrayList<>();
        for (int i = 10; i < 20; i++) {
            expected.add(Row.of("user:" + i, "name-" + i));
        }
        assertThat(rows).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void readsInParallelWithMoreReadersThanShards() throws Exception {
        tEnv.executeSql(
                "CREATE TABLE users_p3 (id BIGINT, name STRING, PRIMARY KEY (id) NOT ENFORCED)"
                        + " WITH ("
                        + with("key.prefix", "user:", "scan.parallelism", "3")
                        + ")");

        List<Row> rows = query("SELECT id FROM users_p3");

        assertThat(rows).hasSize(USERS);
        assertThat(rows.stream().map(r -> r.getField(0)).collect(Collectors.toSet()))
                .hasSize(USERS);
    }

    @Test
    void smallBatchesWithMoreInFlightReadEveryHashOnce() throws Exception {
        tEnv.executeSql(
                "CREATE TABLE users_small (id BIGINT, name STRING, PRIMARY KEY (id) NOT ENFORCED)"
                        + " WITH ("
                        + with(
                                "key.prefix", "user:",
                                "scan.batch-size", "7",
                                "scan.max-batches-in-flight", "4")
                        + ")");

        List<Row> rows = query("SELECT id, name FROM users_small");

        Set<Row> expected = new HashSet<>();
        for (long i = 0; i < USERS; i++) {
            expected.add(Row.of(i, "name-" + i));
        }
        assertThat(rows).hasSize(USERS);
        assertThat(new HashSet<>(rows)).isEqualTo(expected);
        assertThat(client.calls("hmget")).isEqualTo(USERS);
    }
}
