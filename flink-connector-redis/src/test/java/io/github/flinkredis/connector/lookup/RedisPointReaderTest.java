package io.github.flinkredis.connector.lookup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.flinkredis.connector.client.SharedClientResources;
import io.github.flinkredis.connector.config.RedisConnectionConfig;
import io.github.flinkredis.connector.config.RedisDataType;
import io.github.flinkredis.connector.model.RedisRecord;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The point reads' life cycle, against an address where no server listens. */
class RedisPointReaderTest {

    @Test
    void aReaderClosedWhileRetryingNeitherConnectsAgainNorHoldsResources() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        int before = SharedClientResources.referenceCount();
        RedisPointReader reads =
                new RedisPointReader(
                        RedisConnectionConfig.builder().node("127.0.0.1", port).build(),
                        RedisDataType.HASH,
                        List.of("name"),
                        "$",
                        false,
                        10,
                        "retries",
                        "type");
        reads.open();
        CompletableFuture<RedisRecord> read =
                reads.read("user:1".getBytes(StandardCharsets.UTF_8), null);
        reads.close();

        assertThat(SharedClientResources.referenceCount()).isEqualTo(before);
        // ten retries would take about 7.5 s of pauses; closed, the next one gives up at once
        assertThatThrownBy(() -> read.get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasMessageContaining("The lookup's connection to Redis is closed");
        assertThat(SharedClientResources.referenceCount()).isEqualTo(before);
    }
}
