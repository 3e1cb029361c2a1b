package io.github.flinkredis.connector.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Replies of {@link RedisSearchGroupCount}: groups, nil values, and a result cut short. */
class RedisSearchGroupCountTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private final RedisSearchGroupCount count =
            new RedisSearchGroupCount("idx", List.of("cat", "label"), 2);

    @Test
    void aPageHasAGroupPerRowInTheOrderOfTheFields() {
        List<Object> reply =
                List.of(
                        List.of(
                                2L,
                                List.of(
                                        bytes("label"),
                                        bytes("x"),
                                        bytes("cat"),
                                        bytes("A"),
                                        bytes("__count"),
                                        bytes("3")),
                                // a nil value: the hashes without the field
                                Arrays.asList(
                                        bytes("cat"),
                                        null,
                                        bytes("label"),
                                        bytes(""),
                                        bytes("__count"),
                                        bytes("2"))),
                        7L);

        RedisSearchGroupCount.Page page = count.page(reply);

        assertThat(page.cursor()).isEqualTo(7L);
        assertThat(page.groups()).hasSize(2);
        assertThat(page.groups().get(0).values())
                .isDeepEqualTo(new byte[][] {bytes("A"), bytes("x")});
        assertThat(page.groups().get(0).count()).isEqualTo(3L);
        assertThat(page.groups().get(1).values()).isDeepEqualTo(new byte[][] {null, bytes("")});
        assertThat(page.groups().get(1).count()).isEqualTo(2L);
    }

    /** RediSearch answers a query it cut at its timeout with {@code [[n, []], 0]}. */
    @Test
    void aGroupWithoutItsCountFailsThePage() {
        assertThatThrownBy(() -> count.page(List.of(List.of(516_599L, List.of()), 0L)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith(
                        "FT.AGGREGATE answered a group without its count, as RediSearch answers"
                                + " a query it cut at its timeout");
        assertThatThrownBy(() -> count.page(List.of(bytes("OK"))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("Unexpected FT.AGGREGATE WITHCURSOR reply");
    }

    @Test
    void theCommandGroupsByTheFields() {
        assertThat(count)
                .hasToString("FT.AGGREGATE idx * GROUPBY 2 @cat @label REDUCE COUNT 0")
                .isEqualTo(new RedisSearchGroupCount("idx", List.of("cat", "label"), 2))
                .isNotEqualTo(new RedisSearchGroupCount("idx", List.of("label", "cat"), 2));
        assertThat(new RedisSearchGroupCount("idx", List.of(), 0))
                .hasToString("FT.AGGREGATE idx * GROUPBY 0 REDUCE COUNT 0");
    }
}
