package io.github.flinkredis.connector.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.flinkredis.connector.config.RedisConnectionConfig;
import io.github.flinkredis.testutils.RedisExtension;
import io.github.flinkredis.testutils.RedisFaultProxy;
import io.github.flinkredis.testutils.RedisServer;
import io.lettuce.core.RedisException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Asking a server whether it is a cluster ({@code INFO cluster}, where the configuration leaves it
 * open), or a Sentinel for its primary, on a connection that breaks right after it opened: another
 * connection answers; a connection that breaks every time fails, saying so.
 */
@ExtendWith(RedisExtension.class)
class RedisClientFactoryITCase {

    @Test
    void aConnectionThatBreaksOnItsFirstCommandIsOpenedAgain(RedisServer redis) throws Exception {
        try (RedisFaultProxy proxy = RedisFaultProxy.dropOn(redis, 2, "INFO", "cluster")) {
            RedisConnectionConfig config = RedisConnectionConfig.fromUrl(proxy.url()).build();

            assertThat(RedisClientFactory.isCluster(config)).isFalse();
            assertThat(proxy.drops()).isEqualTo(2);
        }
    }

    /**
     * Through a Sentinel whose connection breaks before it answers SENTINEL (Lettuce reports a
     * timeout then, the real error suppressed): another connection asks it, and the primary it
     * names is connected to.
     */
    @Test
    void aSentinelConnectionThatBreaksBeforeItsAnswerIsOpenedAgain(RedisServer redis)
            throws Exception {
        try (RedisServer sentinel = RedisServer.startSentinel(redis, "p", 1);
                RedisFaultProxy proxy = RedisFaultProxy.dropOnPrefix(sentinel, 2, 3, "SENTINEL")) {
            RedisConnectionConfig config =
                    RedisConnectionConfig.fromUrl(
                                    proxy.url().replace("redis://", "redis-sentinel://") + "/0#p")
                            .build();

            try (RedisNodeConnection primary = RedisClientFactory.connect(config)) {
                assertThat(primary.sync().info("server")).contains("tcp_port:" + redis.port());
            }
            assertThat(proxy.drops()).isEqualTo(2);
        }
    }

    @Test
    void aConnectionThatBreaksEveryTimeFails(RedisServer redis) throws Exception {
        try (RedisFaultProxy proxy =
                RedisFaultProxy.dropOn(redis, Integer.MAX_VALUE, "INFO", "cluster")) {
            RedisConnectionConfig config = RedisConnectionConfig.fromUrl(proxy.url()).build();

            assertThatThrownBy(() -> RedisClientFactory.isCluster(config))
                    .isInstanceOf(RedisException.class);
            assertThat(proxy.drops()).isEqualTo(3);
        }
    }
}
