package io.github.flinkredis.connector.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flinkredis.connector.config.RedisConnectionConfig;
import io.github.flinkredis.connector.config.RedisEndpoint;
import java.nio.charset.StandardCharsets;
import java.util.List;
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
