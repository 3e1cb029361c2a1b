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
                        "Invalid Redis URL 'http://***@h:1': the scheme must be redis:// or"
                                + " rediss://.");
        assertThatThrownBy(() -> RedisConnectionConfig.fromUrl("localhost:6379"))
                .hasMessageContaining("the scheme must be redis://");
    }

    @Test
    void escapesGlobCharactersOfThePrefix() {
        assertThat(RedisScanOptions.patternForPrefix("user:")).isEqualTo("user:*");
        assertThat(RedisScanOptions.patternForPrefix("a*b?[c]\\"))
                .isEqualTo("a\\*b\\?\\[c\\]\\\\*");
        assertThat(RedisScanOptions.patternForPrefix("")).isEqualTo("*");
    }
}
