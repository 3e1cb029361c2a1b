package io.github.flinkredis.testutils;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The harness starts a primary, a replica and three Sentinels, and fails over. */
class RedisSentinelsTest {

    @Test
    void startsAndFailsOver() throws Exception {
        try (RedisSentinels sentinels = RedisSentinels.start()) {
            RedisServer first = sentinels.currentPrimary();
            assertThat(first).isEqualTo(sentinels.dataNodes().get(0));
            assertThat(sentinels.url())
                    .startsWith("redis-sentinel://127.0.0.1:")
                    .endsWith("/0#mymaster");

            sentinels.failover();

            assertThat(sentinels.currentPrimary()).isEqualTo(sentinels.dataNodes().get(1));
        }
    }
}
