package io.github.flinkredis.connector.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.flinkredis.connector.RedisITCaseBase;
import io.github.flinkredis.connector.RedisTestClient;
import io.github.flinkredis.connector.client.RedisClientFactory;
import io.github.flinkredis.connector.client.RedisConnectionException;
import io.github.flinkredis.connector.config.RedisConnectionConfig;
import io.github.flinkredis.testutils.RedisCluster;
import io.github.flinkredis.testutils.RedisSentinels;
import io.github.flinkredis.testutils.RedisServer;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.apache.flink.types.Row;
import org.apache.flink.util.ExceptionUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A Sentinel-managed primary with a replica and three Sentinels: reads through the Sentinels, a
 * failover during a scan, and an unknown primary name.
 */
class RedisSentinelITCase extends RedisITCaseBase {

    private static final int KEYS = 3_000;
    private static RedisSentinels sentinels;

    @BeforeAll
    static void startSentinels() throws IOException {
        sentinels = RedisSentinels.start();
    }

    @AfterAll
    static void stopSentinels() {
        if (sentinels != null) {
            sentinels.close();
        }
    }

    private void load() throws IOException {
        try (RedisTestClient primary =
                RedisTestClient.standalone(sentinels.currentPrimary().url())) {
            primary.flushAll();
            primary.loadHashes(KEYS, i -> "s:" + i, i -> Map.of("v", Integer.toString(i)));
            // the replica must hold the data before a failover promotes it
            primary.waitForReplicas(1);
        }
    }

    @Test
    void readsThePrimaryTheSentinelsName() throws Exception {
        load();
        tEnv.executeSql(
                "CREATE TABLE s (id INT, v STRING, PRIMARY KEY (id) NOT ENFORCED) WITH ("
                        + "'connector' = 'redis', 'url' = '"
                        + sentinels.url()
                        + "', 'key.prefix' = 's:')");

        List<Row> rows = query("SELECT id, v FROM s WHERE id < 3");

        assertThat(rows).containsExactlyInAnyOrder(Row.of(0, "0"), Row.of(1, "1"), Row.of(2, "2"));
    }

    @Test
    void lookupJoinsReadThePrimaryTheSentinelsName() throws Exception {
        load();
        tEnv.executeSql(
                "CREATE TABLE s (id INT, v STRING, PRIMARY KEY (id) NOT ENFORCED) WITH ("
                        + "'connector' = 'redis', 'url' = '"
                        + sentinels.url()
                        + "', 'key.prefix' = 's:', 'lookup.async' = 'true')");
        tEnv.executeSql(
                "CREATE TEMPORARY VIEW probe AS SELECT n, PROCTIME() AS pt FROM (VALUES (7),"
                        + " ("
                        + (KEYS + 1)
                        + ")) AS t(n)");

        List<Row> rows =
                query(
                        "SELECT p.n, s.v FROM probe AS p LEFT JOIN s FOR SYSTEM_TIME AS OF p.pt AS s"
                                + " ON p.n = s.id");

        assertThat(rows).containsExactlyInAnyOrder(Row.of(7, "7"), Row.of(KEYS + 1, null));
    }

    @Test
    void aFailoverDuringTheScanLosesNoKey() throws Exception {
        load();

        List<String> keys =
                FailoverScan.scanWithFailoverAfter(
                        sentinels.url(),
                        "s:*",
                        1_000,
                        () -> {
                            try {
                                sentinels.failover();
                            } catch (IOException e) {
                                throw new RuntimeException(e);
                            }
                        });

        FailoverScan.assertEveryKeyRead(keys, "s:", KEYS);
        assertThat(sentinels.currentPrimary()).isNotEqualTo(sentinels.dataNodes().get(0));
    }

    @Test
    void readFromReplicaReadsTheReplicaOnly() throws Exception {
        load();
        RedisServer primary = sentinels.currentPrimary();
        RedisServer replica =
                sentinels.dataNodes().get(0) == primary
                        ? sentinels.dataNodes().get(1)
                        : sentinels.dataNodes().get(0);
        RedisConnectionConfig config = RedisConnectionConfig.fromUrl(sentinels.url()).build();
        RedisCluster.await(
                "the Sentinels list the replica with its link up",
                () -> RedisClientFactory.replicas(config).size() == 1);
        primary.command("CONFIG", "RESETSTAT");
        replica.command("CONFIG", "RESETSTAT");
        tEnv.executeSql(
                "CREATE TABLE r (id INT, v STRING, PRIMARY KEY (id) NOT ENFORCED) WITH ("
                        + "'connector' = 'redis', 'url' = '"
                        + sentinels.url()
                        + "', 'key.prefix' = 's:', 'read-from' = 'replica')");

        List<Row> rows = query("SELECT COUNT(*), SUM(CAST(v AS BIGINT)) FROM r");

        assertThat(rows).containsExactly(Row.of((long) KEYS, KEYS * (KEYS - 1L) / 2));
        assertThat(replica.calls("hmget")).isEqualTo(KEYS);
        assertThat(primary.calls("hmget")).isZero();
        assertThat(primary.calls("scan")).isZero();
    }

    @Test
    void sentinelPasswordAuthenticatesToTheSentinelsOnly() throws Exception {
        try (RedisServer primary = RedisServer.startLocal(List.of());
                RedisServer sentinel =
                        RedisServer.startSentinel(
                                primary, "guarded", 1, List.of("requirepass sentinel-s3cret"))) {
            try (RedisTestClient data = RedisTestClient.standalone(primary.url())) {
                data.loadHashes(3, i -> "g:" + i, i -> Map.of("v", Integer.toString(i)));
            }
            String url =
                    "redis-sentinel://" + sentinel.host() + ":" + sentinel.port() + "/0#guarded";
            String columns = "(id INT, v STRING, PRIMARY KEY (id) NOT ENFORCED)";
            tEnv.executeSql(
                    "CREATE TABLE guarded "
                            + columns
                            + " WITH ('connector' = 'redis', 'url' = '"
                            + url
                            + "', 'key.prefix' = 'g:', 'sentinel.password' = 'sentinel-s3cret')");
            tEnv.executeSql(
                    "CREATE TABLE unguarded "
                            + columns
                            + " WITH ('connector' = 'redis', 'url' = '"
                            + url
                            + "', 'key.prefix' = 'g:')");

            assertThat(query("SELECT id, v FROM guarded"))
                    .containsExactlyInAnyOrder(Row.of(0, "0"), Row.of(1, "1"), Row.of(2, "2"));

            Throwable t = catchThrowable(() -> query("SELECT id, v FROM unguarded"));
            assertThat(ExceptionUtils.findThrowable(t, RedisConnectionException.class))
                    .hasValueSatisfying(
                            e ->
                                    assertThat(e.getMessage())
                                            .contains("Authentication to Redis at " + url)
                                            .contains("'sentinel.password'")
                                            .doesNotContain("sentinel-s3cret"));
        }
    }

    @Test
    void anUnknownPrimaryNameFailsNamingIt() {
        String url = sentinels.url().replace("#mymaster", "#nosuch");
        tEnv.executeSql(
                "CREATE TABLE x (id INT, v STRING, PRIMARY KEY (id) NOT ENFORCED) WITH ("
                        + "'connector' = 'redis', 'url' = '"
                        + url
                        + "')");

        Throwable t = catchThrowable(() -> query("SELECT * FROM x"));

        assertThat(ExceptionUtils.findThrowable(t, RedisConnectionException.class))
                .hasValueSatisfying(
                        e -> assertThat(e.getMessage()).contains("'nosuch'", url.substring(0, 30)));
    }
}
