package io.github.flinkredis.connector.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RedisTextTest {

    private static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void utf8IsCheckedStrictly() {
        assertThat(RedisText.isUtf8(utf8("user:1"))).isTrue();
        assertThat(RedisText.isUtf8(utf8("ud:\u0664\u0662 \uD83D\uDE00"))).isTrue();
        assertThat(RedisText.isUtf8(new byte[0])).isTrue();
        assertThat(RedisText.isUtf8(bytes('a', 0xff))).isFalse();
        assertThat(RedisText.isUtf8(bytes(0xc0, 0x80))).as("overlong NUL").isFalse();
        assertThat(RedisText.isUtf8(bytes(0xed, 0xa0, 0x80))).as("a surrogate").isFalse();
        assertThat(RedisText.isUtf8(bytes(0xe2, 0x82))).as("truncated").isFalse();
    }

    @Test
    void plainTextShowsAsItIsAndOtherBytesEscapedAsRedisCliDoes() {
        assertThat(RedisText.show(utf8("user:1"))).isEqualTo("user:1");
        assertThat(RedisText.show(utf8("ud:\u0664\u0662"))).isEqualTo("ud:\u0664\u0662");
        assertThat(RedisText.show(bytes('b', 'i', 'n', ':', 0xff, 0xfe, 0x00, 'x')))
                .isEqualTo("bin:\\xff\\xfe\\x00x");
        assertThat(RedisText.show(utf8("a\tb"))).isEqualTo("a\\x09b");
        // a backslash is escaped, so that text never shows like other bytes
        assertThat(RedisText.show(utf8("a\\xff"))).isEqualTo("a\\\\xff");
        assertThat(RedisText.show(bytes('a', 0xff))).isEqualTo("a\\xff");
        // valid UTF-8 beside invalid bytes is escaped byte by byte too
        assertThat(RedisText.show(bytes(0xc3, 0xa9, 0xff))).isEqualTo("\\xc3\\xa9\\xff");
    }

    @Test
    void identifiersAreTheTextOfUtf8AndDistinctForOtherBytes() {
        assertThat(RedisText.identifier(utf8("o:\u00e9\uD83D\uDE00")))
                .isEqualTo("o:\u00e9\uD83D\uDE00");
        String ff = RedisText.identifier(bytes('o', ':', 0xff));
        String fe = RedisText.identifier(bytes('o', ':', 0xfe));
        String replacement = RedisText.identifier(utf8("o:\uFFFD"));
        assertThat(ff).isEqualTo("o:\uDCFF");
        assertThat(fe).isEqualTo("o:\uDCFE");
        assertThat(replacement).isEqualTo("o:\uFFFD");
        // valid sequences around invalid bytes keep their text
        assertThat(RedisText.identifier(bytes(0xc3, 0xa9, 0xe2, 0x82, 'x')))
                .isEqualTo("\u00e9\uDCE2\uDC82x");
    }
}
