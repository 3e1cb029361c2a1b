package io.github.flinkredis.connector.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisURI;
import org.junit.jupiter.api.Test;

class RedisConnectionConfigTest {

    @Test
    void parsesEveryPartOfTheUrl() {
        RedisConnectionConfig c =
                RedisConnectionConfig.fromUrl("rediss://alice:s3cret@redis.example:6380/3").build();

        assertThat(c.isTls()).isTrue();
        assertThat(c.getHost()).isEqualTo("redis.example");
        assertThat(c.getPort()).isEqualTo(6380);
        assertThat(c.getDatabase()).isEqualTo(3);
        assertThat(c.getUsername()).isEqualTo("alice");
        assertThat(c.hasPassword()).isTrue();
        RedisURI uri = c.toRedisURI();
        assertThat(uri.isSsl()).isTrue();
        assertThat(uri.getDatabase()).isEqualTo(3);
    }

    @Test
    void neverShowsThePassword() {
        RedisConnectionConfig c =
                RedisConnectionConfig.fromUrl("redis://:s3cret@localhost:6379").build();

        assertThat(c.toString()).isEqualTo("redis://localhost:6379/0 password=***");
        assertThat(c.endpoint()).isEqualTo("redis://localhost:6379/0");
        assertThat(RedisConnectionConfig.maskUrl("redis://u:p@h:1/2"))
                .isEqualTo("redis://***@h:1/2");
    }

    @Test
    void rejectsOtherSchemesAndMissingHosts() {
        assertThatThrownBy(() -> RedisConnectionConfig.fromUrl("http://u:pw@h:1"))
                .hasMessage(
                        "Invalid Redis URL 'http://***@h:1': the scheme must be redis://,"
                                + " rediss:// or redis-sentinel://.");
        assertThatThrownBy(() -> RedisConnectionConfig.fromUrl("localhost:6379"))
                .hasMessageContaining("the scheme must be redis://");
        assertThatThrownBy(() -> RedisConnectionConfig.fromUrl("redis://h:99999"))
                .hasMessage(
                        "Invalid Redis URL 'redis://h:99999': invalid port 99999 in 'h:99999'.");
        assertThatThrownBy(() -> RedisConnectionConfig.fromUrl("redis://h/x"))
                .hasMessageContaining("the path must be a database number, not 'x'");
        assertThatThrownBy(() -> RedisConnectionConfig.fromUrl("redis-sentinel://h:26379"))
                .hasMessageContaining("needs the primary's name after '#'");
    }

    @Test
    void parsesClusterSeedsAndSentinels() {
        RedisConnectionConfig cluster =
                RedisConnectionConfig.fromUrl("redis://a:7000,b:7001,[::1]:7002").build();
        assertThat(cluster.getNodes())
                .containsExactly(
                        new RedisEndpoint("a", 7000),
                        new RedisEndpoint("b", 7001),
                        new RedisEndpoint("::1", 7002));
        assertThat(cluster.isClusterByConfiguration()).isTrue();
        assertThat(cluster.toRedisURIs()).hasSize(3);
        assertThat(cluster.endpoint()).isEqualTo("redis://a:7000,b:7001,[::1]:7002/0");

        RedisConnectionConfig sentinel =
                RedisConnectionConfig.fromUrl("redis-sentinel://:pw@s1,s2:26380/2#mymaster")
                        .build();
        assertThat(sentinel.isSentinel()).isTrue();
        assertThat(sentinel.isClusterByConfiguration()).isFalse();
        assertThat(sentinel.getNodes())
                .containsExactly(new RedisEndpoint("s1", 26379), new RedisEndpoint("s2", 26380));
        RedisURI uri = sentinel.toRedisURI();
        assertThat(uri.getSentinelMasterId()).isEqualTo("mymaster");
        assertThat(uri.getSentinels()).hasSize(2);
        assertThat(uri.getDatabase()).isEqualTo(2);
        assertThat(sentinel.toString())
                .isEqualTo("redis-sentinel://s1:26379,s2:26380/2#mymaster password=***");

        RedisConnectionConfig single = RedisConnectionConfig.fromUrl("redis://a:7000").build();
        assertThat(single.isClusterByConfiguration()).isFalse();
        assertThat(
                        RedisConnectionConfig.fromUrl("redis://a:7000")
                                .clusterMode(ClusterMode.ENABLED)
                                .build()
                                .isClusterByConfiguration())
                .isTrue();
    }

    @Test
    void decodesUserInfo() {
        RedisConnectionConfig c =
                RedisConnectionConfig.fromUrl("redis://al%40ice:p%3Ass@h").build();
        assertThat(c.getUsername()).isEqualTo("al@ice");
        assertThat(c.hasPassword()).isTrue();
        assertThat(RedisConnectionConfig.fromUrl("redis://onlypass@h").build().getUsername())
                .isNull();
        assertThat(RedisConnectionConfig.fromUrl("redis://onlypass@h").build().hasPassword())
                .isTrue();
    }

    @Test
    void escapesGlobCharactersOfThePrefix() {
        assertThat(RedisTableLayout.patternForPrefix("user:")).isEqualTo("user:*");
        assertThat(RedisTableLayout.patternForPrefix("a*b?[c]\\"))
                .isEqualTo("a\\*b\\?\\[c\\]\\\\*");
        assertThat(RedisTableLayout.patternForPrefix("")).isEqualTo("*");
    }
}
