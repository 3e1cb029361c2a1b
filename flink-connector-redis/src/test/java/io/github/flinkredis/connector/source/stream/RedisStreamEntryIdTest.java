package io.github.flinkredis.connector.source.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.flinkredis.connector.model.RedisStreamEntryId;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RedisStreamEntryIdTest {

    @ParameterizedTest
    @CsvSource({
        "1700000000000-3, 1700000000000-3",
        "0-0, 0-0",
        "0-1, 0-1",
        "5, 5-0",
        "' 12-3 ', 12-3",
        "999999999999999999-999999999999999999, 999999999999999999-999999999999999999",
        "18446744073709551615-18446744073709551615, 18446744073709551615-18446744073709551615",
        "0018-07, 18-7"
    })
    void parsesWhatRedisWritesAndIncompleteIds(String text, String expected) {
        RedisStreamEntryId id = RedisStreamEntryId.parse(text);

        assertThat(id.toString()).isEqualTo(expected);
        assertThat(id).isEqualTo(RedisStreamEntryId.parse(expected));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"", "abc", "1-x", "-5", "5-", "1-2-3", "18446744073709551616-0", "1.5-0"})
    void rejectsWhatIsNotAnEntryIdNamingIt(String text) {
        assertThatThrownBy(() -> RedisStreamEntryId.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + text + "' is not a stream entry ID");
    }

    @ParameterizedTest
    @CsvSource({"1-5, 2-0, -1", "2-0, 1-5, 1", "18446744073709551615-0, 1-0, 1", "3-3, 3-3, 0"})
    void ordersAsRedisDoes(String a, String b, int sign) {
        assertThat(
                        Integer.signum(
                                RedisStreamEntryId.parse(a).compareTo(RedisStreamEntryId.parse(b))))
                .isEqualTo(sign);
    }
}
