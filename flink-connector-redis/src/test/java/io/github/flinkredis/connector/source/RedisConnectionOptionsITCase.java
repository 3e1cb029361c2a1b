package io.github.flinkredis.connector.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.flinkredis.connector.RedisITCaseBase;
import io.github.flinkredis.connector.RedisTestClient;
import io.github.flinkredis.connector.config.RedisConnectionConfig;
import io.github.flinkredis.testutils.RedisServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.types.Row;
import org.apache.flink.util.ExceptionUtils;
import org.junit.jupiter.api.Test;

/**
 * Connection options seen from the server: the database a scan selects, its client name, the
 * command timeout of a server that stops answering.
 */
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

    // the scan returns empty fetches while it waits for the node; Flink's reader lost the failure
    // that follows one now and then, and the job hung (RedisSourceReaderBase)
    @Test
    void aServerThatStopsAnsweringFailsTheScanAfterTheCommandTimeout() throws Exception {
        try (RedisServer server = RedisServer.startLocal(List.of())) {
            try (RedisTestClient data = RedisTestClient.standalone(server.url())) {
                data.loadHashes(3_000, i -> "ct:" + i, i -> Map.of("v", Integer.toString(i)));
            }
            RedisConnectionConfig config =
                    RedisConnectionConfig.fromUrl(server.url())
                            .commandTimeout(Duration.ofMillis(500))
                            .build();

            Throwable t =
                    catchThrowable(
                            () ->
                                    FailoverScan.scanWithFailoverAfter(
                                            config,
                                            "ct:*",
                                            100,
                                            () -> {
                                                try {
                                                    // no client gets an answer for 20 s
                                                    server.command(
                                                            "CLIENT", "PAUSE", "20000", "ALL");
                                                } catch (IOException e) {
                                                    throw new UncheckedIOException(e);
                                                }
                                            }));

            assertThat(ExceptionUtils.stringifyException(t))
                    .contains("within 500 ms (option 'command.timeout')");
        }
    }
}
