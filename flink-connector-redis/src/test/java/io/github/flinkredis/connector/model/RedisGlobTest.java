package io.github.flinkredis.connector.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Client-side glob matching, on the cases of Redis's own KEYS / SCAN MATCH semantics. */
class RedisGlobTest {

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "temp:*|temp:s1|true",
                "temp:*|temp:|true",
                "temp:*|tem|false",
                "temp:*|other:s1|false",
                "*|anything|true",
                "h?llo|hello|true",
                "h?llo|hllo|false",
                "h[ae]llo|hallo|true",
                "h[ae]llo|hillo|false",
                "h[^e]llo|hallo|true",
                "h[^e]llo|hello|false",
                "h[a-b]llo|hbllo|true",
                "h[a-b]llo|hcllo|false",
                "a\\*b|a*b|true",
                "a\\*b|axb|false",
                "*:s?|temp:s1|true",
                "**x|abcx|true",
                "a*b*c|aXbYc|true",
                "a*b*c|aXbY|false",
            })
    void matchesAsRedisDoes(String pattern, String key, boolean expected) {
        assertThat(
                        RedisGlob.matches(
                                pattern.getBytes(StandardCharsets.UTF_8),
                                key.getBytes(StandardCharsets.UTF_8)))
                .as("%s ~ %s", pattern, key)
                .isEqualTo(expected);
    }
}
