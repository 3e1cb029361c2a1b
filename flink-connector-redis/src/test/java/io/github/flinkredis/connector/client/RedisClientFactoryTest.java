package io.github.flinkredis.connector.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.flinkredis.connector.config.RedisConnectionConfig;
import io.github.flinkredis.connector.config.RedisEndpoint;
import io.github.flinkredis.testutils.RedisServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Messages of connection failures, and ROLE replies. */
class RedisClientFactoryTest {

    private final RedisConnectionConfig cluster =
            RedisConnectionConfig.fromUrl("redis://h1:7000,h2:7001").password("s3cret").build();

    @Test
    void aFailedConnectionToOneNodeNamesTheNodeAndTheDeployment() {
        RedisConnectionException e =
                RedisClientFactory.translate(
                        cluster,
                        new RedisEndpoint("10.0.0.9", 7002),
                        new RuntimeException("Connection refused: /10.0.0.9:7002"));

        assertThat(e.getMessage())
                .startsWith("Cannot connect to Redis at 10.0.0.9:7002 (of redis://h1:7000,h2:7001")
                .contains("Connection refused")
                .doesNotContain("s3cret");
    }

    @Test
    void aFailedConnectionToTheDeploymentNamesIt() {
        RedisConnectionException e =
                RedisClientFactory.translate(cluster, new RuntimeException("WRONGPASS invalid"));

        assertThat(e.getMessage())
                .startsWith("Authentication to Redis at redis://h1:7000,h2:7001")
                .doesNotContain("s3cret");
    }

    @Test
    void aServerThatNeverAnswersFailsNamingTheCommandTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<Socket> accepted = acceptForever(silent);
            RedisConnectionConfig config =
                    RedisConnectionConfig.fromUrl("redis://127.0.0.1:" + silent.getLocalPort())
                            .connectTimeout(Duration.ofMillis(400))
                            .commandTimeout(Duration.ofMillis(1200))
                            .build();

            Throwable t = catchThrowable(() -> RedisClientFactory.connect(config).close());

            // the connection opened; its handshake waited for the command timeout
            assertThat(t)
                    .isInstanceOf(RedisConnectionException.class)
                    .hasMessageContaining(
                            "accepted the connection but did not answer within the command"
                                    + " timeout of 1200 ms (option 'command.timeout'")
                    .hasMessageNotContaining("connect timeout");
            assertThat(accepted).isNotEmpty();
        }
    }

    @Test
    void tlsToAPlainServerFailsWithinTheConnectTimeout() throws Exception {
        try (RedisServer plain = RedisServer.startLocal(List.of())) {
            RedisConnectionConfig config =
                    RedisConnectionConfig.fromUrl("rediss://" + plain.host() + ":" + plain.port())
                            .connectTimeout(Duration.ofMillis(500))
                            .commandTimeout(Duration.ofSeconds(30))
                            .build();

            Throwable t = catchThrowable(() -> RedisClientFactory.connect(config).close());

            // Lettuce's handshake timeout is 10 s unless set: the connect timeout bounds it
            assertThat(t)
                    .isInstanceOf(RedisConnectionException.class)
                    .hasMessageContaining(
                            "the TLS handshake did not complete within the connect timeout of"
                                    + " 500 ms (option 'connect.timeout'")
                    .hasMessageContaining("handshake timed out after 500ms");
        }
    }

    /** Accepts every connection to {@code server} and never answers, until it is closed. */
    private static List<Socket> acceptForever(ServerSocket server) {
        List<Socket> accepted = new CopyOnWriteArrayList<>();
        Thread acceptor =
                new Thread(
                        () -> {
                            try {
                                while (true) {
                                    accepted.add(server.accept());
                                }
                            } catch (IOException closed) {
                                for (Socket s : accepted) {
                                    try {
                                        s.close();
                                    } catch (IOException ignored) {
                                        // closing anyway
                                    }
                                }
                            }
                        },
                        "silent-server");
        acceptor.setDaemon(true);
        acceptor.start();
        return accepted;
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void roleRepliesOfAPrimaryAndAReplicaAreParsed() {
        RedisRole primary =
                RedisRole.parse(
                        List.of(
                                b("master"),
                                3129L,
                                List.of(List.of(b("127.0.0.1"), b("6381"), b("3129")))));
        RedisRole replica =
                RedisRole.parse(List.of(b("slave"), b("127.0.0.1"), 6380L, b("sync"), -1L));

        assertThat(primary.isPrimary()).isTrue();
        assertThat(primary.replicas()).containsExactly(new RedisEndpoint("127.0.0.1", 6381));
        assertThat(replica.isReplica()).isTrue();
        assertThat(replica.upstream()).isEqualTo(new RedisEndpoint("127.0.0.1", 6380));
        assertThat(replica.isLinkUp()).isFalse();
        assertThat(replica.linkState()).isEqualTo("sync");
    }
}
