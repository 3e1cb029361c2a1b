package io.github.flinkredis.connector.source.reader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.flinkredis.connector.types.json.RedisJsonReplies;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Splitting JSON.GET replies (as RedisJSON sends them) into each path's JSON text. */
class RedisJsonRepliesTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String s(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void onePathIsAnArrayOfItsMatches() throws IOException {
        assertThat(s(RedisJsonReplies.split(b("[{\"c\":[1,2]}]"), List.of("$.b"))[0]))
                .isEqualTo("{\"c\":[1,2]}");
        assertThat(RedisJsonReplies.split(b("[]"), List.of("$.x"))[0]).isNull();
        assertThat(RedisJsonReplies.split(b("[null]"), List.of("$.n"))[0]).isNull();
        // a path matching several values: the first
        assertThat(s(RedisJsonReplies.split(b("[1,2]"), List.of("$..a"))[0])).isEqualTo("1");
    }

    @Test
    void severalPathsAreAnObjectInAnyOrder() throws IOException {
        // as ReJSON 2.0.8 answered JSON.GET d $["a b"] $.n $["q\""] $.s
        String reply =
                "{\"$[\\\"q\\\\\\\"\\\"]\":[3],\"$[\\\"a b\\\"]\":[1],\"$.n\":[null],"
                        + "\"$.s\":[\"h\\u00e9 \\\"x\\\" \u00fc\u20ac\"],\"$.extra\":[{}]}";
        byte[][] values =
                RedisJsonReplies.split(
                        b(reply), List.of("$.s", "$[\"a b\"]", "$.n", "$[\"q\\\"\"]", "$.none"));

        assertThat(s(values[0])).isEqualTo("\"h\\u00e9 \\\"x\\\" \u00fc\u20ac\"");
        assertThat(s(values[1])).isEqualTo("1");
        assertThat(values[2]).isNull();
        assertThat(s(values[3])).isEqualTo("3");
        assertThat(values[4]).isNull();
    }

    @Test
    void aReplyOfAnotherShapeIsAnError() {
        assertThatThrownBy(() -> RedisJsonReplies.split(b("{\"a\":1}"), List.of("$.a")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("not an array");
        assertThatThrownBy(() -> RedisJsonReplies.split(b("[1]"), List.of("$.a", "$.b")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("not an object");
    }

    @Test
    void memberPathsUseBracketsForNamesThatNeedThem() {
        assertThat(RedisJsonReplies.memberPath("$", "name_1")).isEqualTo("$.name_1");
        assertThat(RedisJsonReplies.memberPath("$.p", "a b")).isEqualTo("$.p[\"a b\"]");
        assertThat(RedisJsonReplies.memberPath("$", "q\"\\")).isEqualTo("$[\"q\\\"\\\\\"]");
        assertThat(RedisJsonReplies.memberPath("$", "1st")).isEqualTo("$[\"1st\"]");
    }
}
