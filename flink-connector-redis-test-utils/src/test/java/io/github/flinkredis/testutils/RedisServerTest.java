package io.github.flinkredis.testutils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The harness starts real servers from each source it knows and controls their lifecycle. */
class RedisServerTest {

    @Test
    void startsALocalServerAndRestartsItOnTheSamePort() throws Exception {
        try (RedisServer server = RedisServer.startLocal(List.of())) {
            assertThat(server.isOwned()).isTrue();
            assertThat(server.command("PING")).isEqualTo("PONG");
            server.command("SET", "k", "v");
            int port = server.port();

            server.stop();
            assertThatThrownBy(() -> server.command("PING")).isInstanceOf(IOException.class);

            server.restart();
            assertThat(server.port()).isEqualTo(port);
            assertThat(server.command("PING")).isEqualTo("PONG");
            assertThat(server.command("GET", "k")).isNull(); // no persistence
        }
    }

    @Test
    void passesExtraArgumentsToRedisServer() throws Exception {
        try (RedisServer server = RedisServer.startLocal(List.of("--requirepass", "pw"))) {
            assertThatThrownBy(() -> server.command("GET", "k")).hasMessageContaining("NOAUTH");
        }
    }

    @Test
    void startsTheBinaryShippedInTheEmbeddedRedisArtifact() throws Exception {
        try (RedisServer server =
                RedisServer.startBinary(RedisServer.embeddedBinary(), List.of())) {
            assertThat(server.command("PING")).isEqualTo("PONG");
            assertThat(server.command("INFO", "server")).contains("redis_version:");
        }
    }

    @Test
    void reportsTheStartFailureOfABrokenBinary() {
        assertThatThrownBy(
                        () ->
                                RedisServer.startBinary(
                                        java.nio.file.Path.of("/bin/false"), List.of()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("did not become ready");
    }
}
