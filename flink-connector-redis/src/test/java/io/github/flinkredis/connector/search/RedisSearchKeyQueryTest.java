package io.github.flinkredis.connector.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Positions, filter expressions and replies of {@link RedisSearchKeyQuery}. */
class RedisSearchKeyQueryTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aPositionHoldsTheKeysBytesAndAnyOtherCursorIsTheStart() {
        byte[] key = {'k', 0, (byte) 0xff, '\''};
        String position = RedisSearchKeyQuery.positionAfter(key);

        assertThat(position).isEqualTo("after:6b00ff27");
        assertThat(RedisSearchKeyQuery.keyOf(position)).isEqualTo(key);
        assertThat(RedisSearchKeyQuery.keyOf("0")).isNull();
        assertThat(RedisSearchKeyQuery.keyOf("end")).isNull();
    }

    @Test
    void theFilterExpressionEscapesQuotesAndBackslashesAndRefusesNul() {
        assertThat(
                        new String(
                                RedisSearchKeyQuery.keyAfter(bytes("a'b\\c\"d")),
                                StandardCharsets.UTF_8))
                .isEqualTo("@__key > 'a\\'b\\\\c\"d'");
        assertThat(RedisSearchKeyQuery.keyAfter(new byte[] {'x', (byte) 0xc3, (byte) 0xa9}))
                .isEqualTo(
                        new byte[] {
                            '@',
                            '_',
                            '_',
                            'k',
                            'e',
                            'y',
                            ' ',
                            '>',
                            ' ',
                            '\'',
                            'x',
                            (byte) 0xc3,
                            (byte) 0xa9,
                            '\''
                        });
        assertThatThrownBy(() -> RedisSearchKeyQuery.keyAfter(new byte[] {'a', 0}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "A RediSearch filter expression cannot hold the NUL byte of key a\\x00");
    }

    @Test
    void aPageHasTheKeysOfItsRowsAndTheCursor() {
        List<Object> reply =
                List.of(
                        List.of(
                                5L,
                                List.of(bytes("__key"), bytes("k1")),
                                List.of(bytes("__key"), bytes("k2"))),
                        42L);

        RedisSearchKeyQuery.Page page = RedisSearchKeyQuery.page(reply);

        assertThat(page.keys()).containsExactly(bytes("k1"), bytes("k2"));
        assertThat(page.cursor()).isEqualTo(42L);
        assertThat(page.total()).isEqualTo(5L);
        assertThatThrownBy(() -> RedisSearchKeyQuery.page(List.of(bytes("OK"))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("Unexpected FT.AGGREGATE WITHCURSOR reply");
    }

    /** A query RediSearch cut at its timeout answers {@code [[n, []], 0]}: never zero keys. */
    @Test
    void aRowWithoutItsKeyFailsThePage() {
        List<Object> cut = List.of(List.of(325_299L, List.of()), 0L);

        assertThatThrownBy(() -> RedisSearchKeyQuery.page(cut))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith(
                        "FT.AGGREGATE answered a row without its key, as RediSearch answers a"
                                + " query it cut at its timeout");
    }

    @Test
    void aSegmentSortsAtLeastOneKey() {
        assertThatThrownBy(() -> new RedisSearchKeyQuery("i", "*", 0, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new RedisSearchKeyQuery("i", "@n:[1 2]", 2, 10))
                .hasToString("FT.AGGREGATE i @n:[1 2] DIALECT 2")
                .isEqualTo(new RedisSearchKeyQuery("i", "@n:[1 2]", 2, 10))
                .isNotEqualTo(new RedisSearchKeyQuery("i", "@n:[1 2]", 0, 10));
    }
}
