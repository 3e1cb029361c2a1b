package io.github.flinkredis.connector.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.flinkredis.connector.RedisITCaseBase;
import io.github.flinkredis.connector.RedisTestClient;
import io.github.flinkredis.connector.client.RedisConnectionException;
import io.github.flinkredis.testutils.RedisCluster;
import io.github.flinkredis.testutils.RedisServer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.types.Row;
import org.apache.flink.util.ExceptionUtils;
import org.junit.jupiter.api.Test;

/**
 * Option {@code read-from}: scans of a Redis Cluster's replicas (no SCAN or HMGET reaches a
 * primary), and a standalone server without replicas.
 */
class RedisReadFromITCase extends RedisITCaseBase {

    private static final int KEYS = 3_000;

    @Override
    protected String deployment() {
        return "cluster";
    }

    @Test
    void replicaReadsEveryKeyFromTheReplicasOnly() throws Exception {
        client.loadHashes(KEYS, i -> "rf:" + i, i -> Map.of("v", Integer.toString(i)));
        List<RedisServer> primaries = cluster.currentPrimaries();
        List<RedisServer> replicas = new ArrayList<>(cluster.nodes());
        replicas.removeAll(primaries);
        RedisCluster.await("replicas hold every key", () -> keysOn(replicas) == KEYS);
        for (RedisServer node : cluster.nodes()) {
            node.command("CONFIG", "RESETSTAT");
        }
        tEnv.executeSql(
                "CREATE TABLE rf (id INT, v STRING, PRIMARY KEY (id) NOT ENFORCED) WITH ("
                        + with(
                                "key.prefix", "rf:",
                                "read-from", "replica",
                                "scan.parallelism", "3")
                        + ")");

        List<Row> rows =
                query("SELECT COUNT(*), COUNT(DISTINCT id), SUM(CAST(v AS BIGINT)) FROM rf");

        assertThat(rows).containsExactly(Row.of((long) KEYS, (long) KEYS, KEYS * (KEYS - 1L) / 2));
        for (RedisServer primary : primaries) {
            assertThat(primary.calls("scan")).as("SCAN on primary %s", primary).isZero();
            assertThat(primary.calls("hmget")).as("HMGET on primary %s", primary).isZero();
        }
        long hmgets = 0;
        for (RedisServer replica : replicas) {
            assertThat(replica.calls("scan")).as("SCAN on replica %s", replica).isPositive();
            hmgets += replica.calls("hmget");
        }
        assertThat(hmgets).isEqualTo(KEYS);
    }

    @Test
    void replicaPreferredReadsAStandalonePrimaryWithoutReplicas() throws Exception {
        try (RedisTestClient standalone = RedisTestClient.standalone(redis.url())) {
            standalone.loadHashes(10, i -> "rp:" + i, i -> Map.of("v", Integer.toString(i)));
        }
        tEnv.executeSql(
                "CREATE TABLE rp (id INT, v STRING, PRIMARY KEY (id) NOT ENFORCED) WITH ("
                        + "'connector' = 'redis', 'url' = '"
                        + redis.url()
                        + "', 'key.prefix' = 'rp:', 'read-from' = 'replica-preferred')");

        assertThat(query("SELECT COUNT(*) FROM rp")).containsExactly(Row.of(10L));
    }

    @Test
    void replicaFailsForAStandalonePrimaryWithoutReplicas() {
        tEnv.executeSql(
                "CREATE TABLE rr (id INT, v STRING, PRIMARY KEY (id) NOT ENFORCED) WITH ("
                        + "'connector' = 'redis', 'url' = '"
                        + redis.url()
                        + "', 'key.prefix' = 'rr:', 'read-from' = 'replica')");

        Throwable t = catchThrowable(() -> query("SELECT * FROM rr"));

        assertThat(ExceptionUtils.findThrowable(t, RedisConnectionException.class))
                .hasValueSatisfying(
                        e ->
                                assertThat(e.getMessage())
                                        .contains(
                                                "'read-from' is 'replica'",
                                                redis.host() + ":" + redis.port(),
                                                "no replica"));
    }

    @Test
    void anUnknownReadFromValueListsTheAcceptedOnes() {
        tEnv.executeSql(
                "CREATE TABLE ru (id INT, v STRING, PRIMARY KEY (id) NOT ENFORCED) WITH ("
                        + with("read-from", "nearest")
                        + ")");

        Throwable t = catchThrowable(() -> query("SELECT * FROM ru"));

        assertThat(ExceptionUtils.stringifyException(t))
                .contains("'read-from'", "nearest", "[primary, replica, replica-preferred]");
    }

    private static long keysOn(List<RedisServer> nodes) {
        long keys = 0;
        for (RedisServer node : nodes) {
            try {
                keys += node.dbSize();
            } catch (IOException | NumberFormatException e) {
                return -1;
            }
        }
        return keys;
    }
}
