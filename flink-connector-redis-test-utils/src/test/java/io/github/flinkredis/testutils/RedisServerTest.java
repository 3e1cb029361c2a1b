package io.github.flinkredis.testutils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
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
    void aServerWhosePortIsTakenFailsSayingSo() throws Exception {
        try (RedisServer server = RedisServer.startLocal(List.of())) {
            server.stop();
            try (ServerSocket taken = new ServerSocket()) {
                taken.setReuseAddress(true);
                taken.bind(new InetSocketAddress("127.0.0.1", server.port()));

                // what a new server on a port taken since it was found free sees: it is
                // started again on another port
                assertThatThrownBy(server::restart)
                        .isInstanceOf(RedisServer.PortTakenException.class)
                        .hasMessageContaining("could not listen on port " + server.port());
            }
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
