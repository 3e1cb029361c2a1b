package io.github.flinkredis.connector.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flinkredis.connector.RedisITCaseBase;
import io.github.flinkredis.connector.RedisTestClient;
import io.github.flinkredis.connector.config.RedisConnectionConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.Test;

/** Connection options seen from the server: the database a scan selects, its client name. */
class RedisConnectionOptionsITCase extends RedisITCaseBase {

    @Test
    void theDatabaseOptionSelectsTheDatabaseScanned() throws Exception {
        try (RedisTestClient db3 = RedisTestClient.standalone(redis.url() + "/3")) {
            db3.loadHashes(3, i -> "db:" + i, i -> Map.of("v", "in 3"));
        }
        client.loadHashes(2, i -> "db:" + i, i -> Map.of("v", "in 0"));
        String columns = "(id INT, v STRING, PRIMARY KEY (id) NOT ENFORCED)";
        tEnv.executeSql(
                "CREATE TABLE d3 "
                        + columns
                        + " WITH ("
                        + with("key.prefix", "db:", "database", "3")
                        + ")");
        tEnv.executeSql("CREATE TABLE d0 " + columns + " WITH (" + with("key.prefix", "db:") + ")");

        assertThat(query("SELECT id, v FROM d3"))
                .containsExactlyInAnyOrder(Row.of(0, "in 3"), Row.of(1, "in 3"), Row.of(2, "in 3"));
        assertThat(query("SELECT id, v FROM d0"))
                .containsExactlyInAnyOrder(Row.of(0, "in 0"), Row.of(1, "in 0"));
    }

    @Test
    void theClientNameNamesTheScanConnection() throws Exception {
        client.loadHashes(300, i -> "cn:" + i, i -> Map.of("v", Integer.toString(i)));
        AtomicReference<String> clientList = new AtomicReference<>();
        RedisConnectionConfig config =
                RedisConnectionConfig.fromUrl(redis.url()).clientName("orders-backfill").build();

        List<String> keys =
                FailoverScan.scanWithFailoverAfter(
                        config,
                        "cn:*",
                        100,
                        () -> {
                            try {
                                clientList.set(redis.command("CLIENT", "LIST"));
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                        });

        assertThat(keys).hasSize(300);
        assertThat(clientList.get()).contains("name=orders-backfill ");
    }
}
